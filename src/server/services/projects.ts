/** Projects: create with a unique key, rename, archive, list with task counts. */
import { AppError } from "@/server/errors";
import { countTasksByProjectAndStatus, createProject as createProjectRow, findProject, findProjectByKey, listProjects as listProjectRows, updateProject, type ProjectRow } from "@/server/db/projects";
import { recordActivity } from "@/server/db/activity";
import { CLOSED_STATUSES } from "@/shared/tracker";
import type { ProjectDto } from "@/shared/schemas/project";
import type { WorkspaceContext } from "./context";
import { isUniqueViolation } from "@/server/db/errors";

type Counts = Map<string, { open: number; done: number }>;

async function countsFor(ctx: WorkspaceContext, projectIds: string[]): Promise<Counts> {
  const counts: Counts = new Map(projectIds.map((id) => [id, { open: 0, done: 0 }]));
  if (projectIds.length === 0) return counts;
  for (const row of await countTasksByProjectAndStatus(ctx.db, ctx.workspace.id, projectIds)) {
    const c = counts.get(row.projectId)!;
    if (CLOSED_STATUSES.includes(row.status)) c.done += row._count._all;
    else c.open += row._count._all;
  }
  return counts;
}

function toDto(row: ProjectRow, counts: Counts): ProjectDto {
  const c = counts.get(row.id) ?? { open: 0, done: 0 };
  return { ...row, openCount: c.open, doneCount: c.done };
}

export async function listProjects(ctx: WorkspaceContext, input: { includeArchived: boolean }): Promise<ProjectDto[]> {
  const rows = await listProjectRows(ctx.db, ctx.workspace.id, input.includeArchived);
  const counts = await countsFor(ctx, rows.map((r) => r.id));
  return rows.map((r) => toDto(r, counts));
}

async function withCounts(ctx: WorkspaceContext, row: ProjectRow): Promise<ProjectDto> {
  return toDto(row, await countsFor(ctx, [row.id]));
}

export async function getProjectByKey(ctx: WorkspaceContext, input: { key: string }): Promise<ProjectDto> {
  const row = await findProjectByKey(ctx.db, ctx.workspace.id, input.key);
  if (!row) throw AppError.notFound("Project");
  return withCounts(ctx, row);
}

export async function createProject(ctx: WorkspaceContext, input: { key: string; name: string; description: string }): Promise<ProjectDto> {
  try {
    const row = await ctx.db.$transaction(async (tx) => {
      const created = await createProjectRow(tx, { workspaceId: ctx.workspace.id, key: input.key, name: input.name, description: input.description });
      await recordActivity(tx, {
        workspaceId: ctx.workspace.id,
        actorId: ctx.userId,
        action: "project.created",
        entityType: "project",
        entityId: created.id,
        after: { key: created.key, name: created.name },
        requestId: ctx.requestId,
      });
      return created;
    });
    return { ...row, openCount: 0, doneCount: 0 };
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new AppError("CONFLICT", "That key is taken", { fieldErrors: { key: [`Another project already uses ${input.key}`] } });
    }
    throw error;
  }
}

async function changeProject(ctx: WorkspaceContext, projectId: string, action: string, data: { name?: string; description?: string; archivedAt?: Date | null }): Promise<ProjectDto> {
  const row = await ctx.db.$transaction(async (tx) => {
    const current = await findProject(tx, ctx.workspace.id, projectId);
    if (!current) throw AppError.notFound("Project");
    const updated = await updateProject(tx, ctx.workspace.id, projectId, data);
    const fields = (Object.keys(data) as Array<keyof typeof data>).filter((f) => data[f] !== undefined);
    await recordActivity(tx, {
      workspaceId: ctx.workspace.id,
      actorId: ctx.userId,
      action,
      entityType: "project",
      entityId: projectId,
      before: Object.fromEntries(fields.map((f) => [f, current[f] instanceof Date ? current[f].toISOString() : current[f]])),
      after: Object.fromEntries(fields.map((f) => [f, updated[f] instanceof Date ? updated[f].toISOString() : updated[f]])),
      requestId: ctx.requestId,
    });
    return updated;
  });
  return withCounts(ctx, row);
}

export function renameProject(ctx: WorkspaceContext, input: { projectId: string; name?: string; description?: string }): Promise<ProjectDto> {
  if (input.name === undefined && input.description === undefined) throw AppError.badRequest("Nothing to change", { "": ["Give a new name or description"] });
  return changeProject(ctx, input.projectId, "project.updated", { name: input.name, description: input.description });
}

export function archiveProject(ctx: WorkspaceContext, input: { projectId: string; archived: boolean }): Promise<ProjectDto> {
  return changeProject(ctx, input.projectId, input.archived ? "project.archived" : "project.unarchived", { archivedAt: input.archived ? new Date() : null });
}
