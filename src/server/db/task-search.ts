/**
 * Task list pages with a text query (`filter.q`): raw SQL, because Prisma cannot
 * write `@@`. Complete and keyset-paged like every task list: each page continues
 * after the previous page's last row in (sort key, id) order, so every match is
 * reachable. See docs/decisions/0024-complete-search.md.
 *
 * A page is read in up to three steps, so that neither a common nor a rare word is slow:
 * - a window: the next WINDOW rows in sort order (an index walk), keeping those that
 *   match; a word in 25% of tasks fills a page after ~200 rows;
 * - when the window held some matches but too few, longer windows after it, sized
 *   from the density seen so far, while that is cheaper than the GIN index would be
 *   (nextWindow): common words under a narrow filter (a label) fill the page this way;
 * - otherwise the rest of the page from the GIN index: every match after the
 *   windows, sorted (rare words: few matches, cheap).
 * The planner cannot make this choice itself: it has no estimate for a word it has
 * never seen ("xyzzy"), guesses 1% of rows, walks the index and reads all of them;
 * and it cannot know that the GIN index reads every posting of "cache" and of
 * "timeout" (14% of tasks each) to find the 4% that have both.
 */
import type { Db } from "./client";
import type { Direction, RelevanceGroup, SortableRow } from "./task-query";
import { cursorValue, relevanceCursorValue } from "./task-query";
import { Prisma } from "./generated/client";
import { searchQuery, type RunSql } from "./search";
import type { TaskFilter, TaskSort } from "@/shared/schemas/task";

/** Rows the first window walks (~3 ms when it finds nothing; a word in 2% of tasks fills a page in it). */
export const WINDOW = 2_500;
/** Rows all windows of a page walk at most (~150 ms at 1M tasks on a 2-core machine): the worst case stays bounded. */
export const MAX_WALK = 100_000;
/**
 * What reading one text match through the GIN index costs, in rows of a window (measured at 1M
 * tasks: 4 for one word, 12 for two common words, whose postings are read in full to intersect).
 */
export const GIN_ROW_COST = 8;

/** One row of a page: the task's id and the keys its cursor is made of. */
export type TextPageRow = SortableRow & {
  /** Relevance group (0: every word in the title; 1: the other matches); 1 for other sorts. */
  group: RelevanceGroup;
};

/** Where a page starts: after this row (a sort value as cursors store it, and the id). */
export type After = { value: string | null; id: string };

export type TextPageArgs = {
  workspaceId: string;
  /** From searchWords: letters, digits and marks only; at least one. */
  words: string[];
  filter: TaskFilter;
  sort: TaskSort;
  direction: Direction;
  /** Sort "relevance": the group of `after` (and `after.value` is the updatedAt part). */
  afterGroup?: RelevanceGroup;
  after: After | null;
  /** Rows wanted (the page size + 1, which tells whether there is another page). */
  limit: number;
};

export type KeyedSort = Exclude<TaskSort, "relevance">;
/** Which text must match: anywhere in the task, all in the title, or anywhere but not all in the title. */
type Match = "anywhere" | "title" | "notTitle";
type Segment = { sort: KeyedSort; direction: Direction; match: Match; group: RelevanceGroup; after: After | null };

const taskColumns = (a: string) =>
  Prisma.raw(`${a}.id, ${a}."createdAt", ${a}."updatedAt", ${a}.priority, ${a}."dueDate", ${a}.position`);

type Conditions = Prisma.Sql[];

/**
 * The filter as SQL on alias `t`, mirroring task-query.ts filterWhere (tested against it), split
 * in two: what the index a window walks serves (`walked`: the workspace, and a project or an
 * assignee when the sort has an index starting with it), and the rest (`checked` on each row).
 * A window counts the rows it walks, so it never reads more than WINDOW index entries however
 * few rows the other filters keep.
 */
export function filterConditions(
  workspaceId: string,
  filter: TaskFilter,
  sort: KeyedSort,
  mode: "window" | "indexed" = "window",
): { walked: Conditions; checked: Conditions } {
  const walked: Conditions = [Prisma.sql`t."workspaceId" = ${workspaceId}`, Prisma.sql`t."deletedAt" IS NULL`];
  const checked: Conditions = [];
  // Indexes (projectId | assigneeId, sort column, id) exist for these sorts (schema.prisma).
  const projectIndexed = sort === "created" || sort === "updated" || sort === "position";
  const assigneeIndexed = sort === "created" && !filter.projectId;
  if (filter.projectId) (projectIndexed ? walked : checked).push(Prisma.sql`t."projectId" = ${filter.projectId}`);
  if (filter.status?.length) {
    // Board order walks (projectId, status, position): one status is part of the walk.
    (sort === "position" && filter.status.length === 1 ? walked : checked).push(
      Prisma.sql`t.status = ANY(${filter.status}::"TaskStatus"[])`,
    );
  }
  if (filter.priority?.length) checked.push(Prisma.sql`t.priority = ANY(${filter.priority}::"TaskPriority"[])`);
  if (filter.assigneeId === null) checked.push(Prisma.sql`t."assigneeId" IS NULL`);
  else if (filter.assigneeId !== undefined)
    (assigneeIndexed ? walked : checked).push(Prisma.sql`t."assigneeId" = ${filter.assigneeId}`);
  if (filter.labelId) {
    // In a window, OFFSET 0 keeps this a probe of the (taskId, labelId) key per row: otherwise the
    // planner may hash every row of the label first (100k at 1M tasks) to check a few rows. Read
    // through the indexes, it stays a semi-join the planner may start from (a rarely used label).
    const offset = Prisma.raw(mode === "window" ? " OFFSET 0" : "");
    checked.push(
      Prisma.sql`EXISTS (SELECT 1 FROM "TaskLabel" tl WHERE tl."taskId" = t.id AND tl."labelId" = ${filter.labelId}${offset})`,
    );
  }
  if (filter.hasDueDate === false) {
    checked.push(Prisma.sql`t."dueDate" IS NULL`);
  } else {
    if (filter.dueBefore) checked.push(Prisma.sql`t."dueDate" <= ${filter.dueBefore}::date`);
    if (filter.dueAfter) checked.push(Prisma.sql`t."dueDate" >= ${filter.dueAfter}::date`);
    if (filter.hasDueDate === true) checked.push(Prisma.sql`t."dueDate" IS NOT NULL`);
  }
  return { walked, checked };
}

function matchSql(a: string, match: Match, q: Prisma.Sql): Prisma.Sql {
  const all = Prisma.sql`${Prisma.raw(a)}."searchAll" @@ ${q}`;
  const title = Prisma.sql`${Prisma.raw(a)}."titleVector" @@ ${q}`;
  switch (match) {
    case "anywhere":
      return all;
    case "title":
      return title;
    case "notTitle":
      return Prisma.sql`(${all} AND NOT ${title})`;
  }
}

const SORT_COLUMN: Record<Exclude<KeyedSort, "due">, string> = {
  created: `"createdAt"`,
  updated: `"updatedAt"`,
  priority: "priority",
  position: "position",
};

export function orderSql(a: string, sort: KeyedSort, direction: Direction): Prisma.Sql {
  const dir = direction === "asc" ? "ASC" : "DESC";
  if (sort === "due") return Prisma.raw(`${a}."dueDate" ${dir} NULLS LAST, ${a}.id ${dir}`);
  return Prisma.raw(`${a}.${SORT_COLUMN[sort]} ${dir}, ${a}.id ${dir}`);
}

/** The cursor's value as SQL of the sort column's type. */
function valueSql(sort: Exclude<KeyedSort, "due">, value: string): Prisma.Sql {
  switch (sort) {
    case "created":
    case "updated":
      // The columns are timestamp(3) holding UTC, the cursor an ISO instant.
      return Prisma.sql`(${value}::timestamptz AT TIME ZONE 'UTC')`;
    case "priority":
      return Prisma.sql`${value}::"TaskPriority"`;
    case "position":
      return Prisma.sql`(${value} COLLATE "C")`;
  }
}

/** Rows after `after` in (sort key, id) order, on alias `t`. Row comparisons are index range scans. */
export function afterSql(sort: KeyedSort, direction: Direction, after: After): Prisma.Sql {
  const op = Prisma.raw(direction === "asc" ? ">" : "<");
  if (sort === "due") {
    // Undated tasks come last in both directions.
    if (after.value === null) return Prisma.sql`(t."dueDate" IS NULL AND t.id ${op} ${after.id})`;
    return Prisma.sql`((t."dueDate", t.id) ${op} (${after.value}::date, ${after.id}) OR t."dueDate" IS NULL)`;
  }
  if (after.value === null) throw new Error(`a ${sort} cursor has a value`);
  return Prisma.sql`(t.${Prisma.raw(SORT_COLUMN[sort])}, t.id) ${op} (${valueSql(sort, after.value)}, ${after.id})`;
}

type RawRow = Omit<TextPageRow, "group"> & {
  rn?: bigint | number;
  hit?: boolean;
  texts?: bigint | number | null;
  total?: bigint | number;
};
type Filter = { walked: Conditions; checked: Conditions };

const and = (conditions: Conditions): Prisma.Sql =>
  conditions.length ? Prisma.join(conditions, " AND ") : Prisma.sql`TRUE`;

/**
 * The next `size` rows of the walked index in order, keeping those that pass the other filters
 * and match; the window's last row comes back too (`rn` = size, as a marker), so the caller
 * knows the window was full. Rows are read lazily: a page of a common word stops early. The
 * marker also tells how many walked rows matched the text alone (`texts`, when other filters
 * apply) and how many live tasks the workspace has (`total`): what reading the GIN index costs.
 */
function windowSql(
  workspaceId: string,
  filter: Filter,
  q: Prisma.Sql,
  seg: Segment,
  size: number,
  limit: number,
): Prisma.Sql {
  const walked = seg.after ? [...filter.walked, afterSql(seg.sort, seg.direction, seg.after)] : filter.walked;
  const order = orderSql("t", seg.sort, seg.direction);
  const match = matchSql("t", seg.match, q);
  const texts = filter.checked.length
    ? Prisma.sql`sum((${match})::int) OVER (ORDER BY ${order} ROWS UNBOUNDED PRECEDING)`
    : Prisma.sql`NULL::bigint`;
  // The other filters are evaluated on the window's rows (alias t again, so the same SQL serves).
  return Prisma.sql`
    SELECT ${taskColumns("x")}, x.rn, x.hit, x.texts,
           (SELECT COALESCE(sum(c.count), 0) FROM "ProjectStatusCount" c WHERE c."workspaceId" = ${workspaceId}) AS total
    FROM (
      SELECT t.*, (${and(filter.checked)} AND ${match}) AS hit FROM (
        SELECT ${taskColumns("t")}, t."projectId", t."assigneeId", t.status, t."searchAll", t."titleVector",
               row_number() OVER (ORDER BY ${order}) AS rn, ${texts} AS texts
        FROM "Task" t WHERE ${and(walked)}
        ORDER BY ${order} LIMIT ${size}
      ) t
    ) x
    WHERE x.hit OR x.rn = ${size}
    ORDER BY ${orderSql("x", seg.sort, seg.direction)}
    LIMIT ${limit}`;
}

/**
 * Every match after `after` through the GIN index, sorted; for words too rare for a window. The
 * text is matched first, in the workspace, and the other filters are applied to those matches:
 * told nothing better, the planner guesses 1 % of rows for a prefix it has no statistics for and
 * would AND the GIN bitmap with a filter's index — reading a whole project's 100,000 index entries
 * to intersect them with a word that matches nothing (65 ms at 1M tasks). The windows' cost model
 * (nextWindow) already counts this read as every text match.
 */
function indexedSql(workspaceId: string, filter: Filter, q: Prisma.Sql, seg: Segment, limit: number): Prisma.Sql {
  const rest = [
    ...filter.walked,
    ...filter.checked,
    ...(seg.after ? [afterSql(seg.sort, seg.direction, seg.after)] : []),
  ];
  // MATERIALIZED: the full set of matches, so the planner cannot turn it back into an index walk.
  return Prisma.sql`
    WITH t AS MATERIALIZED (
      SELECT ${taskColumns("t")}, t."workspaceId", t."deletedAt", t."projectId", t."assigneeId", t.status
        FROM "Task" t
       WHERE t."workspaceId" = ${workspaceId} AND t."deletedAt" IS NULL AND ${matchSql("t", seg.match, q)})
    SELECT ${taskColumns("t")} FROM t WHERE ${and(rest)} ORDER BY ${orderSql("t", seg.sort, seg.direction)} LIMIT ${limit}`;
}

function keyOf(sort: KeyedSort, row: Omit<TextPageRow, "group">): After {
  return { value: cursorValue(sort, row), id: row.id };
}

type Window = { hits: TextPageRow[]; full: { at: After; texts: number | null; total: number } | null };

/** Matches of one window, and when it was full (more rows follow): its last row and what it saw. */
async function walkWindow(
  run: RunSql,
  workspaceId: string,
  filter: Filter,
  q: Prisma.Sql,
  seg: Segment,
  size: number,
  limit: number,
): Promise<Window> {
  const rows = (await run(windowSql(workspaceId, filter, q, seg, size, limit))) as RawRow[];
  const marker = rows.find((r) => Number(r.rn) === size);
  return {
    hits: rows.filter((r) => r.hit).map((r) => toRow(r, seg.group)),
    full: marker
      ? {
          at: keyOf(seg.sort, marker),
          texts: marker.texts == null ? null : Number(marker.texts),
          total: Number(marker.total),
        }
      : null,
  };
}

/**
 * How many rows to walk next, or null to read the GIN index instead: walk on while filling the
 * page (at the density seen so far, with a margin) costs less than the GIN read, which fetches
 * every task matching the text (about GIN_ROW_COST walked rows each, measured at 1M tasks).
 */
export function nextWindow(seen: {
  walked: number;
  hits: number;
  texts: number;
  total: number;
  needed: number;
}): number | null {
  if (seen.hits === 0) return null;
  const rowsToFill = Math.ceil(((seen.needed * seen.walked) / seen.hits) * 1.5);
  const ginCost = GIN_ROW_COST * (seen.texts / seen.walked) * seen.total;
  // Never a window smaller than the first: a page short of one or two rows should not take many trips.
  const size = Math.max(rowsToFill, WINDOW);
  return rowsToFill <= ginCost && seen.walked + size <= MAX_WALK ? size : null;
}

/** Up to `limit` matching rows of one ordered segment, after `seg.after`. */
async function segmentRows(
  run: RunSql,
  workspaceId: string,
  filterArgs: TaskFilter,
  q: Prisma.Sql,
  seg: Segment,
  limit: number,
): Promise<TextPageRow[]> {
  const filter = filterConditions(workspaceId, filterArgs, seg.sort);
  const hits: TextPageRow[] = [];
  let after = seg.after;
  let walked = 0;
  let texts = 0;
  for (let size: number | null = WINDOW; size !== null;) {
    const window = await walkWindow(run, workspaceId, filter, q, { ...seg, after }, size, limit - hits.length);
    hits.push(...window.hits);
    if (hits.length >= limit || !window.full) return hits.slice(0, limit);
    after = window.full.at;
    walked += size;
    texts += window.full.texts ?? window.hits.length;
    size = nextWindow({ walked, hits: hits.length, texts, total: window.full.total, needed: limit - hits.length });
  }
  // Rare here: the rest from the GIN index, after the windows.
  const indexed = filterConditions(workspaceId, filterArgs, seg.sort, "indexed");
  const rest = (await run(indexedSql(workspaceId, indexed, q, { ...seg, after }, limit - hits.length))) as RawRow[];
  return [...hits, ...rest.map((r) => toRow(r, seg.group))];
}

function toRow(r: RawRow, group: RelevanceGroup): TextPageRow {
  return {
    id: r.id,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    priority: r.priority,
    dueDate: r.dueDate,
    position: r.position,
    group,
  };
}

/**
 * The page's rows in order. Relevance reads group 0 (every word in the title) and then, if
 * the page is not full, group 1 (the other matches), each by updatedAt; other sorts read one
 * segment of all matches.
 */
export async function textPageRows(run: RunSql, args: TextPageArgs): Promise<TextPageRow[]> {
  const query = await searchQuery(run, args.workspaceId, args.words);
  if (!query) return []; // a word no task or comment of the workspace contains
  const q = query.match; // pages are ordered by keys, never by ts_rank
  if (args.sort !== "relevance") {
    return segmentRows(
      run,
      args.workspaceId,
      args.filter,
      q,
      { sort: args.sort, direction: args.direction, match: "anywhere", group: 1, after: args.after },
      args.limit,
    );
  }
  // Descending relevance: titles first; ascending: the reverse, oldest first.
  const groups: RelevanceGroup[] = args.direction === "desc" ? [0, 1] : [1, 0];
  const rows: TextPageRow[] = [];
  for (const group of groups) {
    const position =
      args.after && args.afterGroup !== undefined ? groups.indexOf(args.afterGroup) - groups.indexOf(group) : -1;
    if (position > 0) continue; // the cursor is past this group
    const after = position === 0 ? args.after : null;
    const match: Match = group === 0 ? "title" : "notTitle";
    rows.push(
      ...(await segmentRows(
        run,
        args.workspaceId,
        args.filter,
        q,
        { sort: "updated", direction: args.direction, match, group, after },
        args.limit - rows.length,
      )),
    );
    if (rows.length >= args.limit) break;
  }
  return rows;
}

/** The cursor value of a row for `sort` (relevance: its group and updatedAt). */
export function textCursorValue(sort: TaskSort, row: TextPageRow): string | null {
  return sort === "relevance" ? relevanceCursorValue(row.group, row.updatedAt) : cursorValue(sort, row);
}

/**
 * Settings for a text page's statements, in their own transaction. JIT compilation: PostgreSQL
 * compiles any plan it costs above 100,000 (a GIN read of a common word under a narrow filter)
 * and spends ~200 ms doing it, more than the query. work_mem: the bitmap of a word in 10% of a
 * million tasks stays exact (not per page, re-checking every row) within 16 MB.
 */
export const TEXT_PAGE_SETTINGS = Prisma.sql`SELECT set_config('jit', 'off', true), set_config('work_mem', '16MB', true)`;

/** A page of text matches for the app (scoped to `args.workspaceId` by filterConditions). */
export function listTextPage(db: Db, args: TextPageArgs): Promise<TextPageRow[]> {
  return db.$transaction(async (tx) => {
    await tx.$queryRaw(TEXT_PAGE_SETTINGS);
    return textPageRows((sql) => tx.$queryRaw<unknown[]>(sql), args);
  });
}
