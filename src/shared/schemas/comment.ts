import { z } from "zod";
import { idSchema, inWorkspace, pageInput, pageOf, userSummarySchema } from "./common";

export const commentBodySchema = z
  .string()
  .trim()
  .min(1, "Write something first")
  .max(10_000, "Use at most 10,000 characters");

export const commentSchema = z.object({
  id: z.string(),
  taskId: z.string(),
  body: z.string(),
  author: userSummarySchema,
  createdAt: z.date(),
  editedAt: z.date().nullable(),
});
export type CommentDto = z.infer<typeof commentSchema>;

export const listCommentsInput = inWorkspace({ taskId: idSchema, ...pageInput });
export const commentPageSchema = pageOf(commentSchema);
export const createCommentInput = inWorkspace({ taskId: idSchema, body: commentBodySchema });
export const updateCommentInput = inWorkspace({ commentId: idSchema, body: commentBodySchema });
export const deleteCommentInput = inWorkspace({ commentId: idSchema });
