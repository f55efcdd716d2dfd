/**
 * Pure translation of a task list request (filter, sort, cursor) into a Prisma
 * query: keyset pagination on (sort column, id), so page 1,000 costs what page 1 does.
 */
import { AppError } from "@/server/errors";
import type { Prisma } from "@/server/db/generated/client";
import { live } from "./tasks";
import { TASK_PRIORITIES, type TaskPriority } from "@/shared/tracker";
import type { TaskFilter, TaskSort } from "@/shared/schemas/task";

export type Direction = "asc" | "desc";

export const DEFAULT_DIRECTION: Record<TaskSort, Direction> = {
  created: "desc",
  updated: "desc",
  priority: "desc",
  due: "asc",
  position: "asc",
  relevance: "desc",
};

type CursorValue = string | null;
export type Cursor = { s: TaskSort; d: Direction; v: CursorValue; id: string };

/** The value a row holds in the sort column, as the cursor stores it. */
export type SortableRow = {
  id: string;
  createdAt: Date;
  updatedAt: Date;
  priority: TaskPriority;
  dueDate: Date | null;
  position: string;
};

/**
 * Relevance pages are keyed on (group, updatedAt, id): group 0 has every word in the title,
 * group 1 the other matches. Stored as "1|2026-03-01T10:20:30.456Z".
 */
export type RelevanceGroup = 0 | 1;
export type RelevanceKey = { group: RelevanceGroup; updatedAt: Date };

export function relevanceCursorValue(group: RelevanceGroup, updatedAt: Date): string {
  return `${group}|${updatedAt.toISOString()}`;
}

export function parseRelevanceValue(v: string): RelevanceKey | null {
  const match = /^([01])\|(.{1,40})$/.exec(v);
  if (!match) return null;
  const updatedAt = new Date(match[2]!);
  return isStorableDate(updatedAt) ? { group: Number(match[1]) as RelevanceGroup, updatedAt } : null;
}

/** The value a row holds in the sort column, as the cursor stores it (relevance: see relevanceCursorValue). */
export function cursorValue(sort: Exclude<TaskSort, "relevance">, row: SortableRow): CursorValue {
  switch (sort) {
    case "created":
      return row.createdAt.toISOString();
    case "updated":
      return row.updatedAt.toISOString();
    case "priority":
      return row.priority;
    case "due":
      return row.dueDate ? isoDate(row.dueDate) : null;
    case "position":
      return row.position;
  }
}

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString("base64url");
}

const INVALID = () =>
  AppError.badRequest("Invalid cursor", {
    cursor: ["This cursor is not valid for this list; start from the first page"],
  });

export function decodeCursor(raw: string, sort: TaskSort, direction: Direction): Cursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(raw, "base64url").toString("utf8"));
  } catch {
    throw INVALID();
  }
  const c = parsed as Partial<Cursor> | null;
  if (!c || c.s !== sort || c.d !== direction || typeof c.id !== "string" || !(typeof c.v === "string" || c.v === null))
    throw INVALID();
  // Only a due date can be empty (an undated task); every other sort key always has a value.
  if (c.v === null ? sort !== "due" : !validCursorValue(sort, c.v)) throw INVALID();
  return { s: sort, d: direction, v: c.v, id: c.id };
}

/** A date PostgreSQL can store and compare (years 1900–9999); anything else is a forged cursor. */
export function isStorableDate(date: Date): boolean {
  const year = date.getUTCFullYear();
  return !Number.isNaN(date.getTime()) && year >= 1900 && year <= 9999;
}

function validCursorValue(sort: TaskSort, v: string): boolean {
  switch (sort) {
    case "created":
    case "updated":
      return isStorableDate(new Date(v));
    case "priority":
      return (TASK_PRIORITIES as readonly string[]).includes(v);
    case "due":
      // Shape and existence: "2026-02-30" must not become an Invalid Date in SQL.
      return /^\d{4}-\d{2}-\d{2}$/.test(v) && isStorableDate(dateFromIso(v)) && isoDate(dateFromIso(v)) === v;
    case "position":
      return v.length > 0 && v.length <= 200;
    case "relevance":
      return parseRelevanceValue(v) !== null;
  }
}

export function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

export function dateFromIso(value: string): Date {
  return new Date(`${value}T00:00:00.000Z`);
}

export function filterWhere(workspaceId: string, filter: TaskFilter): Prisma.TaskWhereInput {
  const where: Prisma.TaskWhereInput = { ...live(workspaceId) };
  if (filter.projectId) where.projectId = filter.projectId;
  if (filter.status?.length) where.status = { in: filter.status };
  if (filter.priority?.length) where.priority = { in: filter.priority };
  if (filter.assigneeId !== undefined) where.assigneeId = filter.assigneeId;
  if (filter.labelId) where.labels = { some: { labelId: filter.labelId } };
  const due: Prisma.DateTimeNullableFilter = {};
  if (filter.dueBefore) due.lte = dateFromIso(filter.dueBefore);
  if (filter.dueAfter) due.gte = dateFromIso(filter.dueAfter);
  if (filter.hasDueDate === true) due.not = null;
  if (filter.hasDueDate === false) where.dueDate = null;
  else if (Object.keys(due).length) where.dueDate = due;
  return where;
}

/** Relevance exists only with a text query, which the SQL in db/search.ts serves. */
export const relevanceNeedsQuery = () =>
  AppError.badRequest("Relevance needs a search", { sort: ["Sorting by relevance needs filter.q"] });

export function orderByFor(
  sort: Exclude<TaskSort, "relevance">,
  direction: Direction,
): Prisma.TaskOrderByWithRelationInput[] {
  switch (sort) {
    case "created":
      return [{ createdAt: direction }, { id: direction }];
    case "updated":
      return [{ updatedAt: direction }, { id: direction }];
    case "priority":
      return [{ priority: direction }, { id: direction }];
    case "due":
      return [{ dueDate: { sort: direction, nulls: "last" } }, { id: direction }];
    case "position":
      return [{ position: direction }, { id: direction }];
  }
}

/** Priorities strictly after `v` in the page's direction (Prisma has no lt/gt on enums). */
function prioritiesBeyond(v: TaskPriority, direction: Direction): TaskPriority[] {
  const i = TASK_PRIORITIES.indexOf(v);
  return direction === "asc" ? TASK_PRIORITIES.slice(i + 1) : TASK_PRIORITIES.slice(0, i);
}

/** Rows that come after the cursor in (sort column, id) order. */
export function afterCursorWhere(cursor: Cursor): Prisma.TaskWhereInput {
  if (cursor.s === "relevance") throw relevanceNeedsQuery();
  const beyond = cursor.d === "asc" ? "gt" : "lt";
  const idAfter = { id: { [beyond]: cursor.id } };
  switch (cursor.s) {
    case "created":
    case "updated": {
      const field = cursor.s === "created" ? "createdAt" : "updatedAt";
      const v = new Date(cursor.v!);
      const within = cursor.d === "asc" ? "gte" : "lte";
      // The redundant range bound lets Postgres use the index as a range scan.
      return {
        AND: [{ [field]: { [within]: v } }, { OR: [{ [field]: { [beyond]: v } }, { [field]: v, ...idAfter }] }],
      };
    }
    case "position": {
      const within = cursor.d === "asc" ? "gte" : "lte";
      return {
        AND: [
          { position: { [within]: cursor.v! } },
          { OR: [{ position: { [beyond]: cursor.v! } }, { position: cursor.v!, ...idAfter }] },
        ],
      };
    }
    case "priority": {
      const v = cursor.v as TaskPriority;
      return { OR: [{ priority: { in: prioritiesBeyond(v, cursor.d) } }, { priority: v, ...idAfter }] };
    }
    case "due": {
      // Nulls sort last in both directions.
      if (cursor.v === null) return { dueDate: null, ...idAfter };
      const v = dateFromIso(cursor.v);
      return { OR: [{ dueDate: { [beyond]: v } }, { dueDate: v, ...idAfter }, { dueDate: null }] };
    }
  }
}

declare const scopedToWorkspace: unique symbol;
/**
 * A task query that can only be built with a workspace id (by listQuery or
 * tasksByIdsQuery), so db/tasks.listTasks cannot be handed an unscoped filter.
 */
export type ScopedTaskQuery = {
  where: Prisma.TaskWhereInput;
  orderBy: Prisma.TaskOrderByWithRelationInput[];
  take: number;
  readonly [scopedToWorkspace]: true;
};

/** Live tasks of the workspace with these ids (order is the caller's business). */
export function tasksByIdsQuery(workspaceId: string, ids: string[]): ScopedTaskQuery {
  return {
    where: { id: { in: ids }, ...live(workspaceId) },
    orderBy: [],
    take: ids.length,
  } as unknown as ScopedTaskQuery;
}

/** Sorts that need a filter: board order needs a project, relevance a search. */
export function assertSortable(sort: TaskSort, filter: TaskFilter): void {
  if (sort === "position" && !filter.projectId) {
    throw AppError.badRequest("Board order needs a project", {
      sort: ["Sorting by board position needs filter.projectId"],
    });
  }
  if (sort === "relevance" && !filter.q) throw relevanceNeedsQuery();
}

export function listQuery(args: {
  workspaceId: string;
  filter: TaskFilter;
  sort: TaskSort;
  direction?: Direction;
  cursor?: string | null;
  limit: number;
}): ScopedTaskQuery & { direction: Direction } {
  const direction = args.direction ?? DEFAULT_DIRECTION[args.sort];
  assertSortable(args.sort, args.filter);
  if (args.sort === "relevance") throw relevanceNeedsQuery();
  // A text query is SQL Prisma cannot write: db/search.ts builds those pages.
  if (args.filter.q) throw new Error("listQuery cannot search text; use db/search.listTextPage");
  const where = filterWhere(args.workspaceId, args.filter);
  const cursor = args.cursor ? decodeCursor(args.cursor, args.sort, direction) : null;
  return {
    where: cursor ? { AND: [where, afterCursorWhere(cursor)] } : where,
    orderBy: orderByFor(args.sort, direction),
    // One extra row tells whether another page exists.
    take: args.limit + 1,
    direction,
  } as unknown as ScopedTaskQuery & { direction: Direction };
}
