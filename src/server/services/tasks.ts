/**
 * Tasks: numbering, board order, optimistic concurrency, idempotent creates,
 * soft delete, and an activity event for every change (same transaction).
 */
import { generateKeyBetween } from "fractional-indexing";
import { AppError } from "@/server/errors";
import type { Prisma } from "@/server/db/generated/client";
import type { DbTx } from "@/server/db/client";
import {
  countTasksByStatus,
  findColumnTask,
  findTask,
  findTaskByIdempotencyKey,
  findTaskByRef,
  findTaskState,
  firstPositionAfter,
  insertTask,
  lastPositionInColumn,
  listTasks as listTaskRows,
  setTaskLabels,
  softDeleteTask,
  updateTaskAtVersion,
  type TaskDetailRow,
  type TaskRow,
} from "@/server/db/tasks";
import { lockProject, takeNextTaskNumber } from "@/server/db/projects";
import { findLabelsByIds } from "@/server/db/labels";
import { findMembersByUserIds } from "@/server/db/memberships";
import { recordActivity } from "@/server/db/activity";
import { createNotifications } from "@/server/db/notifications";
import { CLOSED_STATUSES, formatTaskRef, parseTaskRef, TASK_STATUSES, type TaskStatus } from "@/shared/tracker";
import type { CreateTaskInput, ListTasksInput, TaskDetailDto, TaskDto, TaskPatch } from "@/shared/schemas/task";
import { cursorValue, dateFromIso, encodeCursor, isoDate, listQuery } from "@/server/db/task-query";
import { toPage } from "./pagination";
import type { WorkspaceContext } from "./context";
import { isUniqueViolation } from "@/server/db/errors";

// ── mapping ──

export function toTaskDto(row: TaskRow): TaskDto {
  return {
    id: row.id,
    ref: formatTaskRef(row.project.key, row.number),
    number: row.number,
    projectId: row.projectId,
    projectKey: row.project.key,
    title: row.title,
    status: row.status,
    priority: row.priority,
    assignee: row.assignee,
    labels: row.labels.map((l) => l.label).sort((a, b) => a.name.localeCompare(b.name)),
    dueDate: row.dueDate ? isoDate(row.dueDate) : null,
    position: row.position,
    version: row.version,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

export function toTaskDetailDto(row: TaskDetailRow): TaskDetailDto {
  return {
    ...toTaskDto(row),
    description: row.description,
    creator: row.creator,
    completedAt: row.completedAt,
    projectName: row.project.name,
  };
}

// ── reads ──

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

// ── validation shared by create and update ──

async function assertAssignable(tx: DbTx, workspaceId: string, assigneeId: string | null | undefined): Promise<void> {
  if (!assigneeId) return;
  const found = await findMembersByUserIds(tx, workspaceId, [assigneeId]);
  if (found.length === 0) throw AppError.badRequest("Invalid assignee", { assigneeId: ["The assignee must be a member of this workspace"] });
}

async function labelNames(tx: DbTx, workspaceId: string, labelIds: string[]): Promise<string[]> {
  if (labelIds.length === 0) return [];
  const labels = await findLabelsByIds(tx, workspaceId, labelIds);
  if (labels.length !== labelIds.length) throw AppError.badRequest("Invalid labels", { labelIds: ["Every label must belong to this workspace"] });
  return labels.map((l) => l.name).sort();
}

function completedAtFor(status: TaskStatus, previous: Date | null, now: Date): Date | null {
  return CLOSED_STATUSES.includes(status) ? (previous ?? now) : null;
}

async function notifyAssignee(tx: DbTx, ctx: WorkspaceContext, taskId: string, assigneeId: string | null | undefined): Promise<void> {
  if (assigneeId && assigneeId !== ctx.userId) {
    await createNotifications(tx, [{ userId: assigneeId, workspaceId: ctx.workspace.id, type: "ASSIGNED", actorId: ctx.userId, taskId }]);
  }
}

// ── create ──

async function replayCreate(ctx: WorkspaceContext, key: string): Promise<TaskDetailDto | null> {
  const existing = await findTaskByIdempotencyKey(ctx.db, ctx.workspace.id, ctx.userId, key);
  if (!existing) return null;
  if (existing.deletedAt) throw AppError.conflict("The task created with this idempotency key has since been deleted");
  return getTask(ctx, { taskId: existing.id });
}

export async function createTask(ctx: WorkspaceContext, input: Omit<CreateTaskInput, "workspaceSlug">): Promise<TaskDetailDto> {
  if (input.idempotencyKey) {
    const replay = await replayCreate(ctx, input.idempotencyKey);
    if (replay) return replay;
  }
  let taskId: string;
  try {
    taskId = await ctx.db.$transaction(async (tx) => {
      const next = await takeNextTaskNumber(tx, ctx.workspace.id, input.projectId);
      if (!next) throw AppError.notFound("Project");
      if (next.archived) throw new AppError("PRECONDITION_FAILED", "This project is archived; unarchive it to add tasks");
      await assertAssignable(tx, ctx.workspace.id, input.assigneeId);
      const labels = await labelNames(tx, ctx.workspace.id, input.labelIds);
      const now = new Date();
      const position = generateKeyBetween(await lastPositionInColumn(tx, input.projectId, input.status), null);
      const { id } = await insertTask(tx, {
        workspaceId: ctx.workspace.id,
        projectId: input.projectId,
        number: next.number,
        title: input.title,
        description: input.description,
        status: input.status,
        priority: input.priority,
        assigneeId: input.assigneeId ?? null,
        creatorId: ctx.userId,
        dueDate: input.dueDate ? dateFromIso(input.dueDate) : null,
        position,
        completedAt: completedAtFor(input.status, null, now),
        idempotencyKey: input.idempotencyKey ?? null,
      });
      await setTaskLabels(tx, id, input.labelIds);
      await recordActivity(tx, {
        workspaceId: ctx.workspace.id,
        actorId: ctx.userId,
        action: "task.created",
        entityType: "task",
        entityId: id,
        taskId: id,
        after: { title: input.title, status: input.status, priority: input.priority, assigneeId: input.assigneeId ?? null, dueDate: input.dueDate ?? null, labels },
        requestId: ctx.requestId,
      });
      await notifyAssignee(tx, ctx, id, input.assigneeId);
      return id;
    });
  } catch (error) {
    // Two retries raced: the loser returns the winner's task.
    if (input.idempotencyKey && isUniqueViolation(error, "idempotencyKey")) {
      const replay = await replayCreate(ctx, input.idempotencyKey);
      if (replay) return replay;
    }
    throw error;
  }
  return getTask(ctx, { taskId });
}

// ── update ──

type Change = { before: Record<string, unknown>; after: Record<string, unknown> };

function diff(current: TaskDetailRow, patch: TaskPatch, currentLabels: string[], newLabels: string[] | null): Change {
  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  const note = (field: string, from: unknown, to: unknown) => {
    if (to !== undefined && JSON.stringify(from) !== JSON.stringify(to)) {
      before[field] = from;
      after[field] = to;
    }
  };
  note("title", current.title, patch.title);
  note("description", current.description, patch.description);
  note("status", current.status, patch.status);
  note("priority", current.priority, patch.priority);
  note("assigneeId", current.assignee?.id ?? null, patch.assigneeId);
  note("dueDate", current.dueDate ? isoDate(current.dueDate) : null, patch.dueDate);
  if (newLabels) note("labels", currentLabels, newLabels);
  return { before, after };
}

function conflict(current: TaskDetailRow): AppError {
  return AppError.conflict("This task was changed by someone else since you loaded it", { current: toTaskDetailDto(current) });
}

export async function updateTask(ctx: WorkspaceContext, input: { taskId: string; version: number; patch: TaskPatch }): Promise<TaskDetailDto> {
  const { patch } = input;
  await ctx.db.$transaction(async (tx) => {
    const current = await findTask(tx, ctx.workspace.id, input.taskId);
    if (!current) throw AppError.notFound("Task");
    if (current.version !== input.version) throw conflict(current);
    if (patch.assigneeId !== undefined) await assertAssignable(tx, ctx.workspace.id, patch.assigneeId);
    const newLabels = patch.labelIds ? await labelNames(tx, ctx.workspace.id, patch.labelIds) : null;
    const currentLabels = current.labels.map((l) => l.label.name).sort();
    const change = diff(current, patch, currentLabels, newLabels);
    if (Object.keys(change.after).length === 0) return; // nothing changed: no new version, no event

    const data: Prisma.TaskUncheckedUpdateManyInput = {
      title: patch.title,
      description: patch.description,
      priority: patch.priority,
      assigneeId: patch.assigneeId,
      dueDate: patch.dueDate === undefined ? undefined : patch.dueDate === null ? null : dateFromIso(patch.dueDate),
    };
    if (patch.status && patch.status !== current.status) {
      // A new status puts the task at the bottom of that board column; the project
      // lock keeps concurrent moves from computing the same position.
      await lockProject(tx, ctx.workspace.id, current.projectId);
      data.status = patch.status;
      data.position = generateKeyBetween(await lastPositionInColumn(tx, current.projectId, patch.status, current.id), null);
      data.completedAt = completedAtFor(patch.status, current.completedAt, new Date());
    }
    if (!(await updateTaskAtVersion(tx, ctx.workspace.id, current.id, input.version, data))) {
      const latest = await findTask(tx, ctx.workspace.id, input.taskId);
      throw latest ? conflict(latest) : AppError.notFound("Task");
    }
    if (patch.labelIds) await setTaskLabels(tx, current.id, patch.labelIds);
    await recordActivity(tx, {
      workspaceId: ctx.workspace.id,
      actorId: ctx.userId,
      action: "task.updated",
      entityType: "task",
      entityId: current.id,
      taskId: current.id,
      before: change.before as Prisma.InputJsonObject,
      after: change.after as Prisma.InputJsonObject,
      requestId: ctx.requestId,
    });
    if (patch.assigneeId && patch.assigneeId !== current.assignee?.id) await notifyAssignee(tx, ctx, current.id, patch.assigneeId);
  });
  return getTask(ctx, { taskId: input.taskId });
}

// ── board move ──

/**
 * Moves a task to `status`, directly below `afterTaskId` (or to the top).
 * The new position is a fractional key between two neighbours, so no other
 * task is renumbered. Moves in a project are serialized by its row lock.
 */
export async function moveTask(ctx: WorkspaceContext, input: { taskId: string; status: TaskStatus; afterTaskId?: string | null }): Promise<TaskDto> {
  if (input.afterTaskId === input.taskId) throw AppError.badRequest("A task cannot be placed after itself", { afterTaskId: ["Pick a different task"] });
  await ctx.db.$transaction(async (tx) => {
    const task = await findTaskState(tx, ctx.workspace.id, input.taskId);
    if (!task) throw AppError.notFound("Task");
    await lockProject(tx, ctx.workspace.id, task.projectId);
    let above: string | null = null;
    if (input.afterTaskId) {
      const neighbour = await findColumnTask(tx, ctx.workspace.id, task.projectId, input.afterTaskId);
      if (!neighbour || neighbour.status !== input.status) throw AppError.conflict("The board changed while you were moving this task; refresh and try again");
      above = neighbour.position;
    }
    const below = await firstPositionAfter(tx, task.projectId, input.status, above, task.id);
    const position = generateKeyBetween(above, below);
    const statusChanged = task.status !== input.status;
    const moved = await updateTaskAtVersion(tx, ctx.workspace.id, task.id, task.version, {
      status: input.status,
      position,
      ...(statusChanged ? { completedAt: completedAtFor(input.status, task.completedAt, new Date()) } : {}),
    });
    if (!moved) throw AppError.conflict("This task changed while you were moving it; try again");
    await recordActivity(tx, {
      workspaceId: ctx.workspace.id,
      actorId: ctx.userId,
      action: statusChanged ? "task.updated" : "task.reordered",
      entityType: "task",
      entityId: task.id,
      taskId: task.id,
      before: statusChanged ? { status: task.status } : { position: task.position },
      after: statusChanged ? { status: input.status } : { position },
      requestId: ctx.requestId,
    });
  });
  return getTask(ctx, { taskId: input.taskId });
}

// ── delete ──

/** Soft delete: the task disappears everywhere but its row and history stay (see docs/decisions). */
export async function deleteTask(ctx: WorkspaceContext, input: { taskId: string }): Promise<void> {
  await ctx.db.$transaction(async (tx) => {
    const task = await findTaskState(tx, ctx.workspace.id, input.taskId);
    if (!task) throw AppError.notFound("Task");
    await softDeleteTask(tx, ctx.workspace.id, task.id, new Date());
    await recordActivity(tx, {
      workspaceId: ctx.workspace.id,
      actorId: ctx.userId,
      action: "task.deleted",
      entityType: "task",
      entityId: task.id,
      taskId: task.id,
      before: { title: task.title, status: task.status },
      requestId: ctx.requestId,
    });
  });
}
