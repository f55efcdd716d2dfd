/** Who has a task open (TaskViewer): refreshed by each viewer's browser, read by the others. */
import type { DbTx } from "./client";
import { userSummarySelect } from "./users";

export const PRESENCE_CHANNEL = "lanes_presence";

/** Whether the person has the task open in any tab heard from since `freshAfter`. */
async function isViewing(db: DbTx, taskId: string, userId: string, freshAfter: Date): Promise<boolean> {
  const found = await db.taskViewer.findFirst({
    where: { taskId, userId, seenAt: { gte: freshAfter } },
    select: { tabId: true },
  });
  return found !== null;
}

/**
 * Records that the person's tab has the task open at `now`. True when they were not viewing it in
 * any tab before: only then do others need to hear of it.
 */
export async function touchViewer(
  db: DbTx,
  row: { taskId: string; userId: string; tabId: string; workspaceId: string },
  now: Date,
  freshAfter: Date,
): Promise<boolean> {
  const arrived = !(await isViewing(db, row.taskId, row.userId, freshAfter));
  const key = { taskId_userId_tabId: { taskId: row.taskId, userId: row.userId, tabId: row.tabId } };
  await db.taskViewer.upsert({ where: key, create: { ...row, seenAt: now }, update: { seenAt: now } });
  return arrived;
}

/** Removes the tab; true if that was the person's last tab on the task (others need to hear of it). */
export async function removeViewer(
  db: DbTx,
  row: { taskId: string; userId: string; tabId: string },
  freshAfter: Date,
): Promise<boolean> {
  const { count } = await db.taskViewer.deleteMany({ where: { ...row, seenAt: { gte: freshAfter } } });
  return count > 0 && !(await isViewing(db, row.taskId, row.userId, freshAfter));
}

/** Those seen on the task since `freshAfter` who are still members of its workspace, longest first. */
export function listViewers(db: DbTx, workspaceId: string, taskId: string, freshAfter: Date) {
  return db.taskViewer.findMany({
    where: {
      taskId,
      workspaceId,
      seenAt: { gte: freshAfter },
      user: { memberships: { some: { workspaceId } } },
    },
    // One entry per person, however many tabs.
    distinct: ["userId"],
    orderBy: [{ userId: "asc" }],
    select: { user: { select: userSummarySelect } },
  });
}

/** Tells every instance's live hub that the task's viewers changed (at commit, like any NOTIFY). */
export async function announcePresence(db: DbTx, workspaceId: string, taskId: string): Promise<void> {
  await db.$queryRaw`SELECT pg_notify(${PRESENCE_CHANNEL}, ${`${workspaceId}:${taskId}`})::text`;
}

/** Rows nobody has refreshed since `before` (closed tabs): the hourly purge. */
export async function deleteViewersBefore(db: DbTx, before: Date): Promise<number> {
  const { count } = await db.taskViewer.deleteMany({ where: { seenAt: { lt: before } } });
  return count;
}
