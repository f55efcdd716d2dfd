/** Task reads: lists (keyset pages), one task by id or reference, column counts. */
import { AppError } from "@/server/errors";
import { countTasksByStatus, findTask, findTaskByRef, listTasks as listTaskRows } from "@/server/db/tasks";
import { cursorValue, encodeCursor, listQuery } from "@/server/db/task-query";
import { parseTaskRef, TASK_STATUSES, type TaskStatus } from "@/shared/tracker";
import type { ListTasksInput, TaskDetailDto, TaskDto } from "@/shared/schemas/task";
import { toPage } from "../pagination";
import type { WorkspaceContext } from "../context";
import { toTaskDetailDto, toTaskDto } from "./mapping";

export async function listTasks(ctx: WorkspaceContext, input: ListTasksInput): Promise<{ items: TaskDto[]; nextCursor: string | null }> {
  const query = listQuery({ workspaceId: ctx.workspace.id, filter: input.filter, sort: input.sort, direction: input.order, cursor: input.cursor, limit: input.limit });
  const rows = await listTaskRows(ctx.db, query);
  return toPage(rows, input.limit, toTaskDto, (row) =>
    encodeCursor({ s: input.sort, d: query.direction, v: cursorValue(input.sort, row), id: row.id }),
  );
}

export async function getTask(ctx: WorkspaceContext, input: { taskId: string }): Promise<TaskDetailDto> {
  const row = await findTask(ctx.db, ctx.workspace.id, input.taskId);
  if (!row) throw AppError.notFound("Task");
  return toTaskDetailDto(row);
}

export async function getTaskByRef(ctx: WorkspaceContext, input: { ref: string }): Promise<TaskDetailDto> {
  const ref = parseTaskRef(input.ref);
  const row = ref ? await findTaskByRef(ctx.db, ctx.workspace.id, ref.key, ref.number) : null;
  if (!row) throw AppError.notFound("Task");
  return toTaskDetailDto(row);
}

export async function statusCounts(ctx: WorkspaceContext, input: { projectId: string }): Promise<Record<TaskStatus, number>> {
  const rows = await countTasksByStatus(ctx.db, ctx.workspace.id, input.projectId);
  const counts = Object.fromEntries(TASK_STATUSES.map((s) => [s, 0])) as Record<TaskStatus, number>;
  for (const row of rows) counts[row.status] = row._count._all;
  return counts;
}
