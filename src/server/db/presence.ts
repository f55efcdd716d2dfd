/** Who has a task open (TaskViewer): refreshed by each viewer's browser, read by the others. */
import type { DbTx } from "./client";
import { userSummarySelect } from "./users";

export const PRESENCE_CHANNEL = "lanes_presence";

/**
 * Records that `userId` has the task open at `now`. True when they were not counted as viewing it
 * before (no row, or one older than `freshAfter`): only then do others need to hear of it.
 */
export async function touchViewer(
  db: DbTx,
  row: { taskId: string; userId: string; workspaceId: string },
  now: Date,
  freshAfter: Date,
): Promise<boolean> {
  const key = { taskId_userId: { taskId: row.taskId, userId: row.userId } };
  const previous = await db.taskViewer.findUnique({ where: key, select: { seenAt: true } });
  await db.taskViewer.upsert({ where: key, create: { ...row, seenAt: now }, update: { seenAt: now } });
  return !previous || previous.seenAt < freshAfter;
}

/** Removes the viewer; true if they were counted as viewing (others need to hear of it). */
export async function removeViewer(db: DbTx, taskId: string, userId: string, freshAfter: Date): Promise<boolean> {
  const { count } = await db.taskViewer.deleteMany({ where: { taskId, userId, seenAt: { gte: freshAfter } } });
  return count > 0;
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
