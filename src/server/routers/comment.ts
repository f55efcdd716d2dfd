import { router } from "@/server/trpc/init";
import { workspaceProcedure } from "@/server/trpc/procedures";
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
    .input(listCommentsInput)
    .output(commentPageSchema)
    .query(({ ctx, input }) => listComments(ctx.scope, input)),
  /** Comment; @handles notify members. Owners, admins, members. */
  create: workspaceProcedure("comment.create")
    .input(createCommentInput)
    .output(commentSchema)
    .mutation(({ ctx, input }) => addComment(ctx.scope, input)),
  /** Edit your own comment. Owners, admins, members. */
  update: workspaceProcedure("comment.editOwn")
    .input(updateCommentInput)
    .output(commentSchema)
    .mutation(({ ctx, input }) => editComment(ctx.scope, input)),
  /** Delete your own comment (admins: any). Owners, admins, members. */
  delete: workspaceProcedure("comment.deleteOwn")
    .input(deleteCommentInput)
    .output(okSchema)
    .mutation(async ({ ctx, input }) => (await deleteComment(ctx.scope, input), { ok: true as const })),
});
