import type { DbTx } from "./client";
import type { NotificationType, Prisma } from "./generated/client";
import { userSummarySelect } from "./users";
import { afterTimeKey, type TimeKey } from "./keyset";

export type NewNotification = {
  userId: string;
  workspaceId: string;
  type: NotificationType;
  actorId: string;
  taskId?: string;
  commentId?: string;
};

export function createNotifications(db: DbTx, rows: NewNotification[]) {
  return rows.length ? db.notification.createMany({ data: rows }) : Promise.resolve({ count: 0 });
}

export const notificationSelect = {
  id: true,
  type: true,
  readAt: true,
  createdAt: true,
  actor: { select: userSummarySelect },
  task: { select: { number: true, title: true, project: { select: { key: true } } } },
} satisfies Prisma.NotificationSelect;

export function listNotifications(
  db: DbTx,
  args: { userId: string; workspaceId: string; unreadOnly: boolean; after?: TimeKey; take: number },
) {
  const base: Prisma.NotificationWhereInput = {
    userId: args.userId,
    workspaceId: args.workspaceId,
    ...(args.unreadOnly ? { readAt: null } : {}),
  };
  const where: Prisma.NotificationWhereInput = args.after ? { AND: [base, afterTimeKey(args.after, "desc")] } : base;
  return db.notification.findMany({
    where,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: args.take,
    select: notificationSelect,
  });
}

export function countUnread(db: DbTx, userId: string, workspaceId: string) {
  return db.notification.count({ where: { userId, workspaceId, readAt: null } });
}

export function markRead(db: DbTx, userId: string, workspaceId: string, ids: string[] | undefined, now: Date) {
  return db.notification.updateMany({
    where: { userId, workspaceId, readAt: null, ...(ids ? { id: { in: ids } } : {}) },
    data: { readAt: now },
  });
}
