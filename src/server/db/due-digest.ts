/** What the daily due-soon digest reads and records. */
import type { DbTx } from "./client";
import type { Prisma } from "./generated/client";

/** A workspace's live, open tasks in active projects: what "due soon" can be about. */
function openTasksOf(workspaceId: string) {
  return {
    workspaceId,
    deletedAt: null,
    status: { notIn: ["DONE", "CANCELED"] },
    project: { archivedAt: null },
  } satisfies Prisma.TaskWhereInput;
}

/** Soonest first (the workspace's due-date index), and a bound on one day's work per workspace. */
const DUE_ORDER = { orderBy: [{ dueDate: "asc" }, { id: "asc" }], take: 5_000 } satisfies Prisma.TaskFindManyArgs;

export function listWorkspaceIds(db: DbTx) {
  return db.workspace.findMany({ select: { id: true, slug: true, name: true }, orderBy: { id: "asc" } });
}

/**
 * A workspace's open, assigned tasks due on or before `until` (a UTC day), for assignees who want the
 * digest and have not had today's (uses the workspace's due-date index).
 */
export function listDueSoonTasks(db: DbTx, workspaceId: string, until: Date, today: Date) {
  return db.task.findMany({
    where: {
      ...openTasksOf(workspaceId),
      dueDate: { not: null, lte: until },
      assignee: {
        emailOnDueSoon: true,
        OR: [{ dueDigestSentOn: null }, { dueDigestSentOn: { lt: today } }],
        memberships: { some: { workspaceId } },
      },
    },
    ...DUE_ORDER,
    select: {
      number: true,
      title: true,
      dueDate: true,
      project: { select: { key: true } },
      assignee: { select: { id: true, email: true } },
    },
  });
}

/** Records today's digest as sent; false when it was recorded already (another run sent it too). */
export async function markDigestSent(db: DbTx, userId: string, today: Date): Promise<boolean> {
  const { count } = await db.user.updateMany({
    where: { id: userId, OR: [{ dueDigestSentOn: null }, { dueDigestSentOn: { lt: today } }] },
    data: { dueDigestSentOn: today },
  });
  return count === 1;
}

/**
 * Open tasks due from `from` to `until` (UTC days) with an assignee who is a member, and who has not
 * been told of that task since `since`: the in-app notifications (always on, whatever the email choice).
 */
export function listTasksToNotifyDueSoon(db: DbTx, workspaceId: string, from: Date, until: Date, since: Date) {
  return db.task.findMany({
    where: {
      ...openTasksOf(workspaceId),
      dueDate: { gte: from, lte: until },
      assignee: { memberships: { some: { workspaceId } } },
      notifications: { none: { type: "DUE_SOON", createdAt: { gte: since } } },
    },
    ...DUE_ORDER,
    select: { id: true, assigneeId: true },
  });
}
