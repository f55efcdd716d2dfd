/** In-app notifications for the signed-in user, per workspace. */
import type { DbTx } from "@/server/db/client";
import { enqueueAll } from "@/server/jobs/queue";
import {
  countUnread,
  createNotifications,
  type NewNotification,
  listNotifications as listNotificationRows,
  markRead as markReadRows,
} from "@/server/db/notifications";
import { formatTaskRef } from "@/shared/tracker";
import type { NotificationDto } from "@/shared/schemas/notification";
import { decodeTimeCursor, encodeTimeCursor, toPage } from "./pagination";
import type { WorkspaceContext } from "./context";

/**
 * Creates in-app notifications and, in the same transaction, the jobs that email them (to those who
 * want that kind: decided when the job runs). Nothing is emailed for a change that rolls back.
 */
export async function notify(tx: DbTx, rows: NewNotification[]): Promise<void> {
  const created = await createNotifications(tx, rows);
  const emailed = created.filter(({ type }) => type === "MENTION" || type === "ASSIGNED");
  await enqueueAll(
    tx,
    "mail.notification",
    emailed.map(({ id }) => ({ payload: { notificationId: id }, key: id })),
  );
}

type Row = Awaited<ReturnType<typeof listNotificationRows>>[number];

function toDto(row: Row): NotificationDto {
  return {
    id: row.id,
    type: row.type,
    actor: row.actor,
    task: row.task ? { ref: formatTaskRef(row.task.project.key, row.task.number), title: row.task.title } : null,
    readAt: row.readAt,
    createdAt: row.createdAt,
  };
}

export async function listNotifications(
  ctx: WorkspaceContext,
  input: { unreadOnly: boolean; cursor?: string | null; limit: number },
) {
  const [rows, unreadCount] = await Promise.all([
    listNotificationRows(ctx.db, {
      userId: ctx.userId,
      workspaceId: ctx.workspace.id,
      unreadOnly: input.unreadOnly,
      after: decodeTimeCursor(input.cursor),
      take: input.limit + 1,
    }),
    countUnread(ctx.db, ctx.userId, ctx.workspace.id),
  ]);
  return { ...toPage(rows, input.limit, toDto, encodeTimeCursor), unreadCount };
}

/** Marks the given notifications (or all) read; only the caller's own. */
export async function markRead(
  ctx: WorkspaceContext,
  input: { notificationIds?: string[] },
): Promise<{ updated: number }> {
  const { count } = await markReadRows(ctx.db, ctx.userId, ctx.workspace.id, input.notificationIds, new Date());
  return { updated: count };
}
