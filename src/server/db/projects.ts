import type { DbTx } from "./client";
import type { Prisma } from "./generated/client";

export const projectSelect = {
  id: true,
  key: true,
  name: true,
  description: true,
  archivedAt: true,
  createdAt: true,
} satisfies Prisma.ProjectSelect;

export type ProjectRow = Prisma.ProjectGetPayload<{ select: typeof projectSelect }>;

export function listProjects(db: DbTx, workspaceId: string, includeArchived: boolean) {
  return db.project.findMany({
    where: { workspaceId, ...(includeArchived ? {} : { archivedAt: null }) },
    orderBy: [{ archivedAt: { sort: "asc", nulls: "first" } }, { name: "asc" }],
    select: projectSelect,
  });
}

/**
 * Live task counts per project and status, for the given projects: rows of ProjectStatusCount,
 * kept by triggers on "Task" (a status with no row has no tasks). A read of at most six rows a
 * project instead of a scan of its tasks (docs/decisions/0025-maintained-counts.md).
 */
export function countTasksByProjectAndStatus(db: DbTx, workspaceId: string, projectIds: string[]) {
  return db.projectStatusCount.findMany({
    where: { workspaceId, projectId: { in: projectIds } },
    select: { projectId: true, status: true, count: true },
  });
}

export function findProject(db: DbTx, workspaceId: string, projectId: string) {
  return db.project.findFirst({ where: { id: projectId, workspaceId }, select: projectSelect });
}

export function findProjectByKey(db: DbTx, workspaceId: string, key: string) {
  return db.project.findUnique({ where: { workspaceId_key: { workspaceId, key } }, select: projectSelect });
}

export function createProject(db: DbTx, data: { workspaceId: string; key: string; name: string; description: string }) {
  return db.project.create({ data, select: projectSelect });
}

export function updateProject(
  db: DbTx,
  workspaceId: string,
  projectId: string,
  data: { name?: string; description?: string; archivedAt?: Date | null },
) {
  return db.project.update({ where: { id: projectId, workspaceId }, data, select: projectSelect });
}

/**
 * Hands out the next task number. The UPDATE takes the project's row lock until
 * the transaction ends, so concurrent creates get distinct, increasing numbers.
 * Null when the project is not in this workspace.
 */
export async function takeNextTaskNumber(
  db: DbTx,
  workspaceId: string,
  projectId: string,
): Promise<{ number: number; archived: boolean } | null> {
  const rows = await db.$queryRaw<Array<{ taskCounter: number; archivedAt: Date | null }>>`
    UPDATE "Project" SET "taskCounter" = "taskCounter" + 1
    WHERE id = ${projectId} AND "workspaceId" = ${workspaceId}
    RETURNING "taskCounter", "archivedAt"`;
  const row = rows[0];
  return row ? { number: row.taskCounter, archived: row.archivedAt !== null } : null;
}

/** Serializes board moves within a project (fractional keys are computed from neighbours). */
export async function lockProject(db: DbTx, workspaceId: string, projectId: string): Promise<void> {
  await db.$queryRaw`SELECT id FROM "Project" WHERE id = ${projectId} AND "workspaceId" = ${workspaceId} FOR UPDATE`;
}
