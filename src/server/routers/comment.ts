import { router } from "@/server/trpc/init";
import { rest } from "@/server/rest/meta";
import { workspaceProcedure } from "@/server/trpc/procedures";
import { fastOutput } from "@/server/trpc/output";
import { okSchema } from "@/shared/schemas/common";
import {
  commentPageSchema,
  commentSchema,
  createCommentInput,
  deleteCommentInput,
  listCommentsInput,
  updateCommentInput,
} from "@/shared/schemas/comment";
import { addComment, deleteComment, editComment, listComments } from "@/server/services/comments";

export const commentRouter = router({
  /** A task's comments, oldest first. Members. */
  list: workspaceProcedure("comment.read")
    .meta(rest("GET", "/tasks/{taskId}/comments", "Comments", "List a task's comments"))
    .input(listCommentsInput)
    .output(fastOutput(commentPageSchema))
    .query(({ ctx, input }) => listComments(ctx.scope, input)),
  /** Comment; @handles notify members. Owners, admins, members. */
  create: workspaceProcedure("comment.create")
    .meta(rest("POST", "/tasks/{taskId}/comments", "Comments", "Comment on a task"))
    .input(createCommentInput)
    .output(fastOutput(commentSchema))
    .mutation(({ ctx, input }) => addComment(ctx.scope, input)),
  /** Edit your own comment. Owners, admins, members. */
  update: workspaceProcedure("comment.editOwn")
    .meta(rest("PATCH", "/comments/{commentId}", "Comments", "Edit your comment"))
    .input(updateCommentInput)
    .output(fastOutput(commentSchema))
    .mutation(({ ctx, input }) => editComment(ctx.scope, input)),
  /** Delete your own comment (admins: any). Owners, admins, members. */
  delete: workspaceProcedure("comment.deleteOwn")
    .meta(rest("DELETE", "/comments/{commentId}", "Comments", "Delete a comment"))
    .input(deleteCommentInput)
    .output(fastOutput(okSchema))
    .mutation(async ({ ctx, input }) => (await deleteComment(ctx.scope, input), { ok: true as const })),
});
