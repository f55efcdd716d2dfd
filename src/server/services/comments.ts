/**
 * Comments: Markdown bodies; `@handle` mentions of members create notifications.
 * Authors edit and delete their own; admins may delete any.
 */
import { AppError } from "@/server/errors";
import type { DbTx } from "@/server/db/client";
import {
  findComment,
  insertComment,
  listComments as listCommentRows,
  softDeleteComment,
  updateCommentBody,
} from "@/server/db/comments";
import { findTaskState } from "@/server/db/tasks";
import { findMembersByHandles } from "@/server/db/memberships";
import { notify } from "./notifications";
import { extractMentions } from "@/shared/mentions";
import { can } from "@/shared/roles";
import type { CommentDto } from "@/shared/schemas/comment";
import { decodeTimeCursor, encodeTimeCursor, toPage } from "./pagination";
import type { WorkspaceContext } from "./context";
import { audit } from "./audit";

async function assertTaskExists(tx: DbTx, ctx: WorkspaceContext, taskId: string): Promise<void> {
  if (!(await findTaskState(tx, ctx.workspace.id, taskId))) throw AppError.notFound("Task");
}

/** Notifies members newly mentioned in `body` (never the author); returns their handles. */
async function notifyMentions(
  tx: DbTx,
  ctx: WorkspaceContext,
  args: { body: string; previousBody?: string; taskId: string; commentId: string },
): Promise<string[]> {
  const already = new Set(args.previousBody ? extractMentions(args.previousBody) : []);
  const handles = extractMentions(args.body).filter((h) => !already.has(h));
  if (handles.length === 0) return [];
  const members = await findMembersByHandles(tx, ctx.workspace.id, handles.slice(0, 50));
  const recipients = members.filter((m) => m.userId !== ctx.userId);
  await notify(
    tx,
    recipients.map((m) => ({
      userId: m.userId,
      workspaceId: ctx.workspace.id,
      type: "MENTION" as const,
      actorId: ctx.userId,
      taskId: args.taskId,
      commentId: args.commentId,
    })),
  );
  return members.map((m) => m.user.handle!).filter(Boolean);
}

export async function listComments(
  ctx: WorkspaceContext,
  input: { taskId: string; cursor?: string | null; limit: number },
) {
  await assertTaskExists(ctx.db, ctx, input.taskId);
  const rows = await listCommentRows(
    ctx.db,
    ctx.workspace.id,
    input.taskId,
    decodeTimeCursor(input.cursor),
    input.limit + 1,
  );
  return toPage(rows, input.limit, (row): CommentDto => row, encodeTimeCursor);
}

export async function addComment(ctx: WorkspaceContext, input: { taskId: string; body: string }): Promise<CommentDto> {
  return ctx.db.$transaction(async (tx) => {
    await assertTaskExists(tx, ctx, input.taskId);
    const comment = await insertComment(tx, {
      workspaceId: ctx.workspace.id,
      taskId: input.taskId,
      authorId: ctx.userId,
      body: input.body,
    });
    const mentioned = await notifyMentions(tx, ctx, { body: input.body, taskId: input.taskId, commentId: comment.id });
    await audit(tx, ctx, {
      action: "comment.created",
      commentId: comment.id,
      taskId: input.taskId,
      after: { mentioned },
    });
    return comment;
  });
}

async function loadOwnOrPermitted(tx: DbTx, ctx: WorkspaceContext, commentId: string, mode: "edit" | "delete") {
  const comment = await findComment(tx, ctx.workspace.id, commentId);
  if (!comment) throw AppError.notFound("Comment");
  const own = comment.authorId === ctx.userId;
  const allowed =
    mode === "edit"
      ? own && can(ctx.role, "comment.editOwn")
      : (own && can(ctx.role, "comment.deleteOwn")) || can(ctx.role, "comment.deleteAny");
  if (!allowed)
    throw AppError.forbidden(
      mode === "edit" ? "You can only edit your own comments" : "You can only delete your own comments",
    );
  return comment;
}

export async function editComment(
  ctx: WorkspaceContext,
  input: { commentId: string; body: string },
): Promise<CommentDto> {
  return ctx.db.$transaction(async (tx) => {
    const comment = await loadOwnOrPermitted(tx, ctx, input.commentId, "edit");
    const updated = await updateCommentBody(tx, ctx.workspace.id, comment.id, input.body, new Date());
    await notifyMentions(tx, ctx, {
      body: input.body,
      previousBody: comment.body,
      taskId: comment.taskId,
      commentId: comment.id,
    });
    // No text in the trail: readers see the comment as it is now (or that it was deleted).
    await audit(tx, ctx, { action: "comment.edited", commentId: comment.id, taskId: comment.taskId });
    return updated;
  });
}

export async function deleteComment(ctx: WorkspaceContext, input: { commentId: string }): Promise<void> {
  await ctx.db.$transaction(async (tx) => {
    const comment = await loadOwnOrPermitted(tx, ctx, input.commentId, "delete");
    await softDeleteComment(tx, ctx.workspace.id, comment.id, new Date());
    await audit(tx, ctx, {
      action: "comment.deleted",
      commentId: comment.id,
      taskId: comment.taskId,
      before: { authorId: comment.authorId },
    });
  });
}
