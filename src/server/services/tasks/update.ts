/**
 * Editing a task's fields. The client sends the version it read; a stale version
 * is fine unless a field this edit changes was changed since (then CONFLICT with
 * the current task and the fields). See docs/decisions/0013-field-level-conflicts.md.
 */
import { AppError } from "@/server/errors";
import type { Prisma } from "@/server/db/generated/client";
import {
  findTask,
  findTaskState,
  lastInColumn,
  lockTask,
  setTaskLabels,
  updateTaskAtVersion,
  type TaskDetailRow,
} from "@/server/db/tasks";
import { lockProject } from "@/server/db/projects";
import { dateFromIso, isoDate } from "@/server/db/task-query";
import type { TaskDetailDto, TaskPatch } from "@/shared/schemas/task";
import { audit, textSize, type TaskChange } from "../audit";
import type { WorkspaceContext } from "../context";
import { conflictingFields, parseFieldVersions, PATCH_KEY, withChanged, type TaskField } from "./conflicts";
import { toTaskDetailDto } from "./mapping";
import { positionAt } from "./position";
import { forgetStatusCounts, getTask } from "./reads";
import { assertAssignable, completedAtFor, labelNames, notifyAssignee } from "./rules";

type Change = { before: TaskChange; after: TaskChange };

function diff(current: TaskDetailRow, patch: TaskPatch, currentLabels: string[], newLabels: string[] | null): Change {
  const change: Change = { before: {}, after: {} };
  const note = <F extends keyof TaskChange>(field: F, from: TaskChange[F], to: TaskChange[F] | undefined) => {
    if (to !== undefined && JSON.stringify(from) !== JSON.stringify(to)) {
      change.before[field] = from;
      change.after[field] = to;
    }
  };
  note("title", current.title, patch.title);
  if (patch.description !== undefined && patch.description !== current.description) {
    // The text itself stays out of the trail (see services/audit.ts).
    change.before.description = textSize(current.description);
    change.after.description = textSize(patch.description);
  }
  note("status", current.status, patch.status);
  note("priority", current.priority, patch.priority);
  note("assigneeId", current.assignee?.id ?? null, patch.assigneeId);
  note("dueDate", current.dueDate ? isoDate(current.dueDate) : null, patch.dueDate);
  if (newLabels) note("labels", currentLabels, newLabels);
  return change;
}

function changedFields(change: Change): TaskField[] {
  return Object.keys(change.after) as TaskField[];
}

function conflict(current: TaskDetailRow, fields: readonly TaskField[]): AppError {
  return AppError.conflict("This task was changed by someone else since you loaded it", {
    current: toTaskDetailDto(current),
    /** The patch keys that were changed by someone else meanwhile. */
    fields: fields.map((f) => PATCH_KEY[f]),
  });
}

export async function updateTask(
  ctx: WorkspaceContext,
  input: { taskId: string; version: number; patch: TaskPatch },
): Promise<TaskDetailDto> {
  const { patch } = input;
  await ctx.db.$transaction(async (tx) => {
    const state = await findTaskState(tx, ctx.workspace.id, input.taskId);
    if (!state) throw AppError.notFound("Task");
    // Lock order, as everywhere: the project (board order) before the task row.
    if (patch.status !== undefined) await lockProject(tx, ctx.workspace.id, state.projectId);
    const locked = await lockTask(tx, ctx.workspace.id, state.id);
    const current = locked && (await findTask(tx, ctx.workspace.id, state.id));
    if (!locked || !current) throw AppError.notFound("Task");

    if (patch.assigneeId !== undefined) await assertAssignable(tx, ctx.workspace.id, patch.assigneeId);
    const newLabels = patch.labelIds ? await labelNames(tx, ctx.workspace.id, patch.labelIds) : null;
    const currentLabels = current.labels.map((l) => l.label.name).sort();
    const change = diff(current, patch, currentLabels, newLabels);
    const fields = changedFields(change);
    const fieldVersions = parseFieldVersions(locked.fieldVersions, locked.version);
    const conflicting = conflictingFields(fields, input.version, { version: locked.version, fieldVersions });
    if (conflicting.length > 0) throw conflict(current, conflicting);
    if (fields.length === 0) return; // nothing changed: no new version, no event

    const data: Prisma.TaskUncheckedUpdateManyInput = {
      title: patch.title,
      description: patch.description,
      priority: patch.priority,
      assigneeId: patch.assigneeId,
      dueDate: patch.dueDate === undefined ? undefined : patch.dueDate === null ? null : dateFromIso(patch.dueDate),
      fieldVersions: withChanged(fieldVersions, fields, locked.version + 1),
    };
    if (patch.status && patch.status !== current.status) {
      // A new status puts the task at the bottom of that board column (the project is locked above).
      data.status = patch.status;
      const above = await lastInColumn(tx, current.projectId, patch.status, current.id);
      data.position = await positionAt(tx, {
        projectId: current.projectId,
        status: patch.status,
        taskId: current.id,
        above,
        below: null,
      });
      data.completedAt = completedAtFor(patch.status, current.completedAt, new Date());
    }
    // The row is locked, so this cannot lose a race; the version guard stays as a second line of defence.
    if (!(await updateTaskAtVersion(tx, ctx.workspace.id, current.id, locked.version, data)))
      throw conflict(current, fields);
    if (patch.labelIds) await setTaskLabels(tx, current.id, patch.labelIds);
    await audit(tx, ctx, { action: "task.updated", taskId: current.id, before: change.before, after: change.after });
    if (patch.assigneeId && patch.assigneeId !== current.assignee?.id)
      await notifyAssignee(tx, ctx, current.id, patch.assigneeId);
  });
  const task = await getTask(ctx, { taskId: input.taskId });
  if (patch.status !== undefined) await forgetStatusCounts(ctx, task.projectId);
  return task;
}
