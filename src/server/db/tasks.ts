/**
 * Task data access. Every query is scoped by workspace and skips soft-deleted
 * rows through `live()`, so no caller can forget either.
 */
import type { DbTx } from "./client";
import type { Prisma, TaskStatus } from "./generated/client";
import { userSummarySelect } from "./users";
import type { ScopedTaskQuery } from "./task-query";

/** The tenant scope for live (not deleted) tasks. */
export function live(workspaceId: string): { workspaceId: string; deletedAt: null } {
  return { workspaceId, deletedAt: null };
}

export const taskSelect = {
  id: true,
  number: true,
  projectId: true,
  title: true,
  status: true,
  priority: true,
  dueDate: true,
  position: true,
  version: true,
  createdAt: true,
  updatedAt: true,
  project: { select: { key: true } },
  assignee: { select: userSummarySelect },
  labels: { select: { label: { select: { id: true, name: true, color: true } } } },
} satisfies Prisma.TaskSelect;

export const taskDetailSelect = {
  ...taskSelect,
  description: true,
  completedAt: true,
  project: { select: { key: true, name: true } },
  creator: { select: userSummarySelect },
} satisfies Prisma.TaskSelect;

export type TaskRow = Prisma.TaskGetPayload<{ select: typeof taskSelect }>;
export type TaskDetailRow = Prisma.TaskGetPayload<{ select: typeof taskDetailSelect }>;

export function findTask(db: DbTx, workspaceId: string, taskId: string) {
  return db.task.findFirst({ where: { id: taskId, ...live(workspaceId) }, select: taskDetailSelect });
}

export function findTaskByRef(db: DbTx, workspaceId: string, projectKey: string, number: number) {
  return db.task.findFirst({
    where: { number, project: { key: projectKey }, ...live(workspaceId) },
    select: taskDetailSelect,
  });
}

/** The fields a change is checked against (version, column, project). */
export function findTaskState(db: DbTx, workspaceId: string, taskId: string) {
  return db.task.findFirst({
    where: { id: taskId, ...live(workspaceId) },
    select: {
      id: true,
      projectId: true,
      status: true,
      position: true,
      version: true,
      title: true,
      assigneeId: true,
      completedAt: true,
    },
  });
}

export function findTaskByIdempotencyKey(db: DbTx, workspaceId: string, creatorId: string, idempotencyKey: string) {
  return db.task.findUnique({
    where: { workspaceId_creatorId_idempotencyKey: { workspaceId, creatorId, idempotencyKey } },
    select: { id: true, deletedAt: true },
  });
}

/** Tasks for a query built by db/task-query.ts (always scoped to one workspace). */
export function listTasks(db: DbTx, query: ScopedTaskQuery) {
  return db.task.findMany({ where: query.where, orderBy: query.orderBy, take: query.take, select: taskSelect });
}

export function insertTask(db: DbTx, data: Prisma.TaskUncheckedCreateInput) {
  return db.task.create({ data, select: { id: true } });
}

/**
 * Locks a live task's row for the rest of the transaction (FOR NO KEY UPDATE: comments
 * and labels referencing it are not blocked). Callers that also need the project lock
 * take it first: the project, then the task, everywhere, so two changes never deadlock.
 * Returns what a concurrent-change check needs, or null if there is no such task.
 */
export async function lockTask(
  db: DbTx,
  workspaceId: string,
  taskId: string,
): Promise<{ version: number; fieldVersions: Prisma.JsonValue } | null> {
  const rows = await db.$queryRaw<Array<{ version: number; fieldVersions: Prisma.JsonValue }>>`
    SELECT version, "fieldVersions" FROM "Task"
    WHERE id = ${taskId} AND "workspaceId" = ${workspaceId} AND "deletedAt" IS NULL
    FOR NO KEY UPDATE`;
  return rows[0] ?? null;
}

/** Applies `data` only if the task still has `version`; bumps the version. False on a lost race. */
export async function updateTaskAtVersion(
  db: DbTx,
  workspaceId: string,
  taskId: string,
  version: number,
  data: Prisma.TaskUncheckedUpdateManyInput,
): Promise<boolean> {
  const { count } = await db.task.updateMany({
    where: { id: taskId, version, ...live(workspaceId) },
    data: { ...data, version: { increment: 1 } },
  });
  return count === 1;
}

export function softDeleteTask(db: DbTx, workspaceId: string, taskId: string, now: Date) {
  return db.task.updateMany({
    where: { id: taskId, ...live(workspaceId) },
    data: { deletedAt: now, version: { increment: 1 } },
  });
}

/** Replaces a task's labels with exactly `labelIds` (already validated as this workspace's). */
export async function setTaskLabels(db: DbTx, taskId: string, labelIds: string[]): Promise<void> {
  // Triggers keep Label.taskCount, locking each changed label's row. The removal and the insert
  // below are two statements, so two relabelings could take labels in crossed order and deadlock:
  // every label either may touch is locked first, in id order (docs/decisions/0025-maintained-counts.md).
  await db.$queryRaw`
    SELECT id FROM "Label" WHERE id = ANY(${labelIds}) OR id IN (SELECT "labelId" FROM "TaskLabel" WHERE "taskId" = ${taskId})
    ORDER BY id FOR NO KEY UPDATE`;
  await db.taskLabel.deleteMany({ where: { taskId, labelId: { notIn: labelIds } } });
  if (labelIds.length)
    await db.taskLabel.createMany({ data: labelIds.map((labelId) => ({ taskId, labelId })), skipDuplicates: true });
}

/** Board column edges and neighbours, by byte-wise position. */
export function lastInColumn(
  db: DbTx,
  projectId: string,
  status: TaskStatus,
  excludeTaskId?: string | null,
): Promise<{ id: string; position: string } | null> {
  return db.task.findFirst({
    where: { projectId, status, deletedAt: null, ...(excludeTaskId ? { id: { not: excludeTaskId } } : {}) },
    orderBy: [{ position: "desc" }, { id: "desc" }],
    select: { id: true, position: true },
  });
}

/** The position of the task right below `after` in (position, id) order, the board's order; `after` null = the top. */
export async function firstPositionAfter(
  db: DbTx,
  projectId: string,
  status: TaskStatus,
  after: { id: string; position: string } | null,
  excludeTaskId: string,
): Promise<string | null> {
  // (position, id) > (after.position, after.id), written as a range the (projectId, status, position) index serves.
  const below: Prisma.TaskWhereInput = after
    ? { position: { gte: after.position }, NOT: { position: after.position, id: { lte: after.id } } }
    : {};
  const row = await db.task.findFirst({
    where: { projectId, status, deletedAt: null, id: { not: excludeTaskId }, ...below },
    orderBy: [{ position: "asc" }, { id: "asc" }],
    select: { position: true },
  });
  return row?.position ?? null;
}

/** A whole board column in order (for re-keying it), without `excludeTaskId`. */
export function listColumn(
  db: DbTx,
  projectId: string,
  status: TaskStatus,
  excludeTaskId: string | null,
): Promise<Array<{ id: string; position: string }>> {
  return db.task.findMany({
    where: { projectId, status, deletedAt: null, ...(excludeTaskId ? { id: { not: excludeTaskId } } : {}) },
    orderBy: [{ position: "asc" }, { id: "asc" }],
    select: { id: true, position: true },
  });
}

/** Writes new board positions in one statement; touches nothing else (no version, no updatedAt). */
export async function setPositions(db: DbTx, rows: Array<{ id: string; position: string }>): Promise<void> {
  if (rows.length === 0) return;
  await db.$executeRaw`
    UPDATE "Task" AS t SET position = v.position
    FROM unnest(${rows.map((r) => r.id)}::text[], ${rows.map((r) => r.position)}::text[]) AS v(id, position)
    WHERE t.id = v.id`;
}

export function findColumnTask(db: DbTx, workspaceId: string, projectId: string, taskId: string) {
  return db.task.findFirst({
    where: { id: taskId, projectId, ...live(workspaceId) },
    select: { id: true, status: true, position: true },
  });
}
