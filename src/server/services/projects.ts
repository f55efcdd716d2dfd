/** Projects: create with a unique key, rename, archive, list with task counts. */
import { AppError } from "@/server/errors";
import {
  countTasksByProjectAndStatus,
  createProject as createProjectRow,
  findProject,
  findProjectByKey,
  listProjects as listProjectRows,
  updateProject,
  type ProjectRow,
} from "@/server/db/projects";
import { CLOSED_STATUSES } from "@/shared/tracker";
import type { ProjectDto } from "@/shared/schemas/project";
import type { WorkspaceContext } from "./context";
import { audit, textSize, type ProjectFields } from "./audit";
import { isUniqueViolation } from "@/server/db/errors";

type Counts = Map<string, { open: number; done: number }>;

async function countsFor(ctx: WorkspaceContext, projectIds: string[]): Promise<Counts> {
  const counts: Counts = new Map(projectIds.map((id) => [id, { open: 0, done: 0 }]));
  if (projectIds.length === 0) return counts;
  for (const row of await countTasksByProjectAndStatus(ctx.db, ctx.workspace.id, projectIds)) {
    const c = counts.get(row.projectId)!;
    if (CLOSED_STATUSES.includes(row.status)) c.done += row.count;
    else c.open += row.count;
  }
  return counts;
}

function toDto(row: ProjectRow, counts: Counts): ProjectDto {
  const c = counts.get(row.id) ?? { open: 0, done: 0 };
  return { ...row, openCount: c.open, doneCount: c.done };
}

export async function listProjects(ctx: WorkspaceContext, input: { includeArchived: boolean }): Promise<ProjectDto[]> {
  const rows = await listProjectRows(ctx.db, ctx.workspace.id, input.includeArchived);
  const counts = await countsFor(
    ctx,
    rows.map((r) => r.id),
  );
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

export async function createProject(
  ctx: WorkspaceContext,
  input: { key: string; name: string; description: string },
): Promise<ProjectDto> {
  try {
    const row = await ctx.db.$transaction(async (tx) => {
      const created = await createProjectRow(tx, {
        workspaceId: ctx.workspace.id,
        key: input.key,
        name: input.name,
        description: input.description,
      });
      await audit(tx, ctx, {
        action: "project.created",
        entityId: created.id,
        after: { key: created.key, name: created.name },
      });
      return created;
    });
    return { ...row, openCount: 0, doneCount: 0 };
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new AppError("CONFLICT", "That key is taken", {
        fieldErrors: { key: [`Another project already uses ${input.key}`] },
      });
    }
    throw error;
  }
}

type ProjectChangeAction = "project.updated" | "project.archived" | "project.unarchived";
type ProjectChangeData = { name?: string; description?: string; archivedAt?: Date | null };
type ProjectFieldsRow = { name: string; description: string; archivedAt: Date | null };

/** The changed fields' values in `row`, as the audit trail stores them (dates as ISO strings). */
function recordedFields(row: ProjectFieldsRow, data: ProjectChangeData): ProjectFields {
  const fields: ProjectFields = {};
  if (data.name !== undefined) fields.name = row.name;
  if (data.description !== undefined) fields.description = textSize(row.description);
  if (data.archivedAt !== undefined) fields.archivedAt = row.archivedAt?.toISOString() ?? null;
  return fields;
}

async function changeProject(
  ctx: WorkspaceContext,
  projectId: string,
  action: ProjectChangeAction,
  data: ProjectChangeData,
): Promise<ProjectDto> {
  const row = await ctx.db.$transaction(async (tx) => {
    const current = await findProject(tx, ctx.workspace.id, projectId);
    if (!current) throw AppError.notFound("Project");
    const updated = await updateProject(tx, ctx.workspace.id, projectId, data);
    await audit(tx, ctx, {
      action,
      entityId: projectId,
      before: recordedFields(current, data),
      after: recordedFields(updated, data),
    });
    return updated;
  });
  return withCounts(ctx, row);
}

export function renameProject(
  ctx: WorkspaceContext,
  input: { projectId: string; name?: string; description?: string },
): Promise<ProjectDto> {
  if (input.name === undefined && input.description === undefined)
    throw AppError.badRequest("Nothing to change", { "": ["Give a new name or description"] });
  return changeProject(ctx, input.projectId, "project.updated", { name: input.name, description: input.description });
}

export function archiveProject(
  ctx: WorkspaceContext,
  input: { projectId: string; archived: boolean },
): Promise<ProjectDto> {
  return changeProject(ctx, input.projectId, input.archived ? "project.archived" : "project.unarchived", {
    archivedAt: input.archived ? new Date() : null,
  });
}
