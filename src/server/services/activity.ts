/** The audit trail, read back: a workspace feed and a task's history, as the reader's role may see them. */
import { AppError } from "@/server/errors";
import { listTaskActivity, listWorkspaceActivity, type ActivityRow } from "@/server/db/activity";
import { findTaskState } from "@/server/db/tasks";
import type { ActivityDto } from "@/shared/schemas/activity";
import { decodeTimeCursor, encodeTimeCursor, toPage } from "./pagination";
import { activityViewer, toActivityDto } from "./activity-view";
import type { WorkspaceContext } from "./context";

type ActivityPage = { items: ActivityDto[]; nextCursor: string | null };

/** Maps a page of rows; an event this version cannot read is left out (and logged), never sent half-redacted. */
function toActivityPage(ctx: WorkspaceContext, rows: ActivityRow[], limit: number): ActivityPage {
  const viewer = activityViewer(ctx.role);
  const page = toPage(rows, limit, (row) => ({ row, dto: toActivityDto(row, viewer) }), encodeTimeCursor);
  const unreadable = page.items.filter((i) => i.dto === null).map((i) => i.row.id);
  if (unreadable.length)
    ctx.log.warn({ eventIds: unreadable }, "activity events with an unknown action or shape were left out");
  return { items: page.items.flatMap((i) => (i.dto ? [i.dto] : [])), nextCursor: page.nextCursor };
}

export async function workspaceFeed(
  ctx: WorkspaceContext,
  input: { cursor?: string | null; limit: number },
): Promise<ActivityPage> {
  const rows = await listWorkspaceActivity(ctx.db, ctx.workspace.id, decodeTimeCursor(input.cursor), input.limit + 1);
  return toActivityPage(ctx, rows, input.limit);
}

export async function taskActivity(
  ctx: WorkspaceContext,
  input: { taskId: string; cursor?: string | null; limit: number },
): Promise<ActivityPage> {
  if (!(await findTaskState(ctx.db, ctx.workspace.id, input.taskId))) throw AppError.notFound("Task");
  const rows = await listTaskActivity(
    ctx.db,
    ctx.workspace.id,
    input.taskId,
    decodeTimeCursor(input.cursor),
    input.limit + 1,
  );
  return toActivityPage(ctx, rows, input.limit);
}
