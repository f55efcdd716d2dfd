/** The audit trail, read back: a workspace feed and a task's history. */
import { AppError } from "@/server/errors";
import { listTaskActivity, listWorkspaceActivity, type ActivityRow } from "@/server/db/activity";
import { findTaskState } from "@/server/db/tasks";
import { formatTaskRef } from "@/shared/tracker";
import type { ActivityDto } from "@/shared/schemas/activity";
import { decodeTimeCursor, encodeTimeCursor, toPage } from "./pagination";
import type { WorkspaceContext } from "./context";

function asRecord(value: unknown): Record<string, unknown> | null {
  return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

export function toActivityDto(row: ActivityRow): ActivityDto {
  return {
    id: row.id,
    action: row.action,
    entityType: row.entityType,
    entityId: row.entityId,
    task: row.task ? { id: row.task.id, ref: formatTaskRef(row.task.project.key, row.task.number), title: row.task.title } : null,
    actor: row.actor,
    before: asRecord(row.before),
    after: asRecord(row.after),
    createdAt: row.createdAt,
  };
}

export async function workspaceFeed(ctx: WorkspaceContext, input: { cursor?: string | null; limit: number }) {
  const rows = await listWorkspaceActivity(ctx.db, ctx.workspace.id, decodeTimeCursor(input.cursor), input.limit + 1);
  return toPage(rows, input.limit, toActivityDto, encodeTimeCursor);
}

export async function taskActivity(ctx: WorkspaceContext, input: { taskId: string; cursor?: string | null; limit: number }) {
  if (!(await findTaskState(ctx.db, ctx.workspace.id, input.taskId))) throw AppError.notFound("Task");
  const rows = await listTaskActivity(ctx.db, ctx.workspace.id, input.taskId, decodeTimeCursor(input.cursor), input.limit + 1);
  return toPage(rows, input.limit, toActivityDto, encodeTimeCursor);
}
