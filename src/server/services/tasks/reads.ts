/** Task reads: lists (keyset pages), one task by id or reference, column counts. */
import { z } from "zod";
import { AppError } from "@/server/errors";
import { findTask, findTaskByRef, listTasks as listTaskRows } from "@/server/db/tasks";
import { countTasksByProjectAndStatus } from "@/server/db/projects";
import { cacheKeys, fillCache, invalidateCache, readCached } from "@/server/cache/cache";
import { isReplica } from "@/server/db/replicas";
import {
  assertSortable,
  cursorValue,
  decodeCursor,
  DEFAULT_DIRECTION,
  encodeCursor,
  parseRelevanceValue,
  relevanceNeedsQuery,
  tasksByIdsQuery,
  type Cursor,
} from "@/server/db/task-query";
import { listTextPage, textCursorValue, type After } from "@/server/db/task-search";
import { listTaskPage } from "@/server/db/task-page";
import { parseTaskRef, TASK_STATUSES, type TaskStatus } from "@/shared/tracker";
import { statusCountsSchema } from "@/shared/schemas/task";
import type { ListTasksInput, TaskDetailDto, TaskDto } from "@/shared/schemas/task";
import { toPage } from "../pagination";
import { searchWords } from "../search";
import type { WorkspaceContext } from "../context";
import { toTaskDetailDto, toTaskDto } from "./mapping";

type TaskPage = { items: TaskDto[]; nextCursor: string | null };

export async function listTasks(ctx: WorkspaceContext, input: ListTasksInput): Promise<TaskPage> {
  if (input.filter.q) return listTextMatches(ctx, input, input.filter.q);
  const sort = input.sort;
  if (sort === "relevance") throw relevanceNeedsQuery();
  assertSortable(sort, input.filter);
  const direction = input.order ?? DEFAULT_DIRECTION[sort];
  const cursor = input.cursor ? decodeCursor(input.cursor, sort, direction) : null;
  const rows = await listTaskPage(ctx.db, {
    workspaceId: ctx.workspace.id,
    filter: input.filter,
    sort,
    direction,
    after: cursor ? { value: cursor.v, id: cursor.id } : null,
    // One extra row tells whether another page exists.
    limit: input.limit + 1,
  });
  return toPage(rows, input.limit, toTaskDto, (row) =>
    encodeCursor({ s: sort, d: direction, v: cursorValue(sort, row), id: row.id }),
  );
}

/** Where a text page starts, from its cursor (relevance cursors carry the group too). */
function startAfter(cursor: Cursor | null): { after: After | null; afterGroup?: 0 | 1 } {
  if (!cursor) return { after: null };
  if (cursor.s !== "relevance") return { after: { value: cursor.v, id: cursor.id } };
  // decodeCursor has checked the value's shape.
  const key = parseRelevanceValue(cursor.v ?? "")!;
  return { after: { value: key.updatedAt.toISOString(), id: cursor.id }, afterGroup: key.group };
}

/** A page of tasks matching `q` and the filter: ids in order from db/task-search, then the rows. */
async function listTextMatches(ctx: WorkspaceContext, input: ListTasksInput, q: string): Promise<TaskPage> {
  const direction = input.order ?? DEFAULT_DIRECTION[input.sort];
  assertSortable(input.sort, input.filter);
  const cursor = input.cursor ? decodeCursor(input.cursor, input.sort, direction) : null;
  const words = searchWords(q);
  // Typed text with no letters or digits ("!!!") matches nothing, as in search.tasks.
  if (words.length === 0) return { items: [], nextCursor: null };
  const rows = await listTextPage(ctx.db, {
    workspaceId: ctx.workspace.id,
    words,
    filter: input.filter,
    sort: input.sort,
    direction,
    ...startAfter(cursor),
    limit: input.limit + 1,
  });
  const page = rows.slice(0, input.limit);
  const tasks = page.length
    ? await listTaskRows(
        ctx.db,
        tasksByIdsQuery(
          ctx.workspace.id,
          page.map((r) => r.id),
        ),
      )
    : [];
  const byId = new Map(tasks.map((t) => [t.id, t]));
  const last = page.at(-1);
  return {
    // A task deleted between the two statements is left out; the cursor still follows the page.
    items: page.flatMap((r) => {
      const task = byId.get(r.id);
      return task ? [toTaskDto(task)] : [];
    }),
    nextCursor:
      rows.length > input.limit && last
        ? encodeCursor({ s: input.sort, d: direction, v: textCursorValue(input.sort, last), id: last.id })
        : null,
  };
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

/**
 * A project's tasks per status (the board's column totals), through the cache: keyed by workspace and
 * project, so no tenant reads or churns another's entry; a project without counted tasks (or an id
 * that names nothing here) is not cached.
 */
export async function statusCounts(
  ctx: WorkspaceContext,
  input: { projectId: string },
): Promise<Record<TaskStatus, number>> {
  const key = cacheKeys.statusCounts(ctx.workspace.id, input.projectId);
  const { values, versions } = await readCached([key], [cachedCountsSchema]);
  const [cached] = values;
  if (cached) return cached.counts;
  const rows = await countTasksByProjectAndStatus(ctx.db, ctx.workspace.id, [input.projectId]);
  const counts = Object.fromEntries(TASK_STATUSES.map((s) => [s, 0])) as Record<TaskStatus, number>;
  for (const row of rows) counts[row.status] = row.count;
  // Not from a replica: one that lags would put counts an invalidation just removed back for the TTL.
  if (rows.length > 0 && !isReplica(ctx.db)) fillCache([[key, { counts }]], versions);
  return counts;
}

const cachedCountsSchema = z.object({ counts: statusCountsSchema });

/** After a task is created, deleted or changes status: the next count, on any instance, is fresh. */
export function forgetStatusCounts(ctx: WorkspaceContext, projectId: string): Promise<void> {
  return invalidateCache([cacheKeys.statusCounts(ctx.workspace.id, projectId)]);
}
