import type { DbTx } from "./client";
import type { NotificationType, Prisma } from "./generated/client";
import { userSummarySelect } from "./users";
import { afterTimeKey, type TimeKey } from "./keyset";

export type NewNotification = {
  userId: string;
  workspaceId: string;
  type: NotificationType;
  /** Null for what Lanes itself says (a task due soon). */
  actorId: string | null;
  taskId?: string;
  commentId?: string;
  /** Defaults to now; the daily job passes its own clock (its "once a day" compares against it). */
  createdAt?: Date;
};

/** Creates the rows; returns their ids and types (for the email jobs enqueued beside them). */
export function createNotifications(db: DbTx, rows: NewNotification[]) {
  return rows.length
    ? db.notification.createManyAndReturn({ data: rows, select: { id: true, type: true } })
    : Promise.resolve([]);
}

/** What the email copy of a notification needs, in one query. */
export function findNotificationForEmail(db: DbTx, id: string) {
  return db.notification.findUnique({
    where: { id },
    select: {
      id: true,
      type: true,
      emailedAt: true,
      user: { select: { id: true, email: true, emailOnMention: true, emailOnAssignment: true } },
      actor: { select: { name: true, email: true } },
      workspace: { select: { slug: true, name: true } },
      task: { select: { number: true, title: true, deletedAt: true, project: { select: { key: true } } } },
      comment: { select: { body: true, deletedAt: true } },
    },
  });
}

export async function markEmailed(db: DbTx, id: string, at: Date): Promise<void> {
  await db.notification.update({ where: { id }, data: { emailedAt: at } });
}

export function findEmailPreferences(db: DbTx, userId: string) {
  return db.user.findUnique({
    where: { id: userId },
    select: { emailOnMention: true, emailOnAssignment: true, emailOnDueSoon: true },
  });
}

export async function setEmailPreference(
  db: DbTx,
  userId: string,
  data: { emailOnMention?: boolean; emailOnAssignment?: boolean; emailOnDueSoon?: boolean },
): Promise<void> {
  await db.user.updateMany({ where: { id: userId }, data });
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
