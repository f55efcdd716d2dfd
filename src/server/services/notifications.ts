/** In-app notifications for the signed-in user, per workspace. */
import {
  countUnread,
  listNotifications as listNotificationRows,
  markRead as markReadRows,
} from "@/server/db/notifications";
import { formatTaskRef } from "@/shared/tracker";
import type { NotificationDto } from "@/shared/schemas/notification";
import { decodeTimeCursor, encodeTimeCursor, toPage } from "./pagination";
import type { WorkspaceContext } from "./context";

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
