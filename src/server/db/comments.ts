import type { DbTx } from "./client";
import type { Prisma } from "./generated/client";
import { userSummarySelect } from "./users";
import { afterTimeKey, type TimeKey } from "./keyset";

export const commentSelect = {
  id: true,
  taskId: true,
  body: true,
  createdAt: true,
  editedAt: true,
  author: { select: userSummarySelect },
} satisfies Prisma.CommentSelect;

const liveComment = (workspaceId: string) => ({ workspaceId, deletedAt: null });

export function listComments(db: DbTx, workspaceId: string, taskId: string, after: TimeKey | undefined, take: number) {
  const base: Prisma.CommentWhereInput = { taskId, ...liveComment(workspaceId) };
  return db.comment.findMany({
    where: after ? { AND: [base, afterTimeKey(after, "asc")] } : base,
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    take,
    select: commentSelect,
  });
}

export function findComment(db: DbTx, workspaceId: string, commentId: string) {
  return db.comment.findFirst({
    where: { id: commentId, ...liveComment(workspaceId), task: { deletedAt: null } },
    select: { ...commentSelect, authorId: true },
  });
}

export function insertComment(db: DbTx, data: { workspaceId: string; taskId: string; authorId: string; body: string }) {
  return db.comment.create({ data, select: commentSelect });
}

export function updateCommentBody(db: DbTx, workspaceId: string, commentId: string, body: string, now: Date) {
  return db.comment.update({
    where: { id: commentId, workspaceId },
    data: { body, editedAt: now },
    select: commentSelect,
  });
}

export function softDeleteComment(db: DbTx, workspaceId: string, commentId: string, now: Date) {
  return db.comment.updateMany({ where: { id: commentId, ...liveComment(workspaceId) }, data: { deletedAt: now } });
}
