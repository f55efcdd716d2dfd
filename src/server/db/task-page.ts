/**
 * A page of the task list (no text query) in one SQL statement: the tasks with their project's
 * key, assignee and labels, in (sort key, id) order after a cursor. The hot read of the board and
 * the list, written as SQL rather than a Prisma relation query because Prisma's mapping of the
 * nested rows was the largest cost left in it under load (docs/decisions/0039-task-list-page-in-sql.md).
 * The filter, order and keyset SQL is task-search.ts', which is tested against task-query.ts'
 * Prisma translation; tests/integration/task-page.test.ts checks this page against Prisma's.
 */
import type { DbTx } from "./client";
import { Prisma } from "./generated/client";
import type { TaskRow } from "./tasks";
import { afterSql, filterConditions, orderSql, type After, type KeyedSort } from "./task-search";
import type { Direction } from "./task-query";
import type { TaskFilter } from "@/shared/schemas/task";
import type { TaskPriority, TaskStatus } from "@/shared/tracker";

export type TaskPageArgs = {
  workspaceId: string;
  filter: Omit<TaskFilter, "q">;
  sort: KeyedSort;
  direction: Direction;
  after: After | null;
  /** Rows wanted (the page size + 1, which tells whether there is another page). */
  limit: number;
};

/** TaskRow as the statement returns it; status and priority come back as text. */
type RawTaskRow = Omit<TaskRow, "status" | "priority"> & { status: TaskStatus; priority: TaskPriority };

function pageSql(args: TaskPageArgs): Prisma.Sql {
  const { walked, checked } = filterConditions(args.workspaceId, args.filter, args.sort, "indexed");
  const where = [...walked, ...checked, ...(args.after ? [afterSql(args.sort, args.direction, args.after)] : [])];
  return Prisma.sql`
    SELECT t.id, t.number, t."projectId", t.title, t.status::text AS status, t.priority::text AS priority,
           t."dueDate", t.position, t.version, t."createdAt", t."updatedAt", json_build_object('key', p.key) AS project,
           CASE WHEN u.id IS NULL THEN NULL ELSE
             json_build_object('id', u.id, 'name', u.name, 'email', u.email, 'image', u.image, 'handle', u.handle)
           END AS assignee,
           COALESCE((SELECT json_agg(json_build_object('label', json_build_object('id', l.id, 'name', l.name, 'color', l.color)))
                       FROM "TaskLabel" tl JOIN "Label" l ON l.id = tl."labelId" WHERE tl."taskId" = t.id), '[]') AS labels
      FROM "Task" t
      JOIN "Project" p ON p.id = t."projectId"
      LEFT JOIN "User" u ON u.id = t."assigneeId"
     WHERE ${Prisma.join(where, " AND ")}
     ORDER BY ${orderSql("t", args.sort, args.direction)}
     LIMIT ${args.limit}`;
}

/**
 * The page's rows in the shape of Prisma's `taskSelect`, so the same mapping serves both. The
 * statement builds that shape itself (the project and each label as nested JSON): reshaping every
 * row in JavaScript cost ~2 % of a task.list call's CPU under load.
 */
export function listTaskPage(db: DbTx, args: TaskPageArgs): Promise<TaskRow[]> {
  return db.$queryRaw<RawTaskRow[]>(pageSql(args));
}
