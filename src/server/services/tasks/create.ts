/** Creating tasks: numbered under the project lock, idempotent per (creator, key). */
import { AppError } from "@/server/errors";
import { findTaskByIdempotencyKey, insertTask, lastInColumn, setTaskLabels } from "@/server/db/tasks";
import { takeNextTaskNumber } from "@/server/db/projects";
import { dateFromIso } from "@/server/db/task-query";
import { isUniqueViolation } from "@/server/db/errors";
import type { CreateTaskInput, TaskDetailDto } from "@/shared/schemas/task";
import { audit } from "../audit";
import type { WorkspaceContext } from "../context";
import { positionAt } from "./position";
import { forgetStatusCounts, getTask } from "./reads";
import { assertAssignable, completedAtFor, labelNames, notifyAssignee } from "./rules";

async function replayCreate(ctx: WorkspaceContext, key: string): Promise<TaskDetailDto | null> {
  const existing = await findTaskByIdempotencyKey(ctx.db, ctx.workspace.id, ctx.userId, key);
  if (!existing) return null;
  if (existing.deletedAt) throw AppError.conflict("The task created with this idempotency key has since been deleted");
  return getTask(ctx, { taskId: existing.id });
}

export async function createTask(
  ctx: WorkspaceContext,
  input: Omit<CreateTaskInput, "workspaceSlug">,
): Promise<TaskDetailDto> {
  if (input.idempotencyKey) {
    const replay = await replayCreate(ctx, input.idempotencyKey);
    if (replay) return replay;
  }
  let taskId: string;
  try {
    taskId = await ctx.db.$transaction(async (tx) => {
      const next = await takeNextTaskNumber(tx, ctx.workspace.id, input.projectId);
      if (!next) throw AppError.notFound("Project");
      if (next.archived)
        throw new AppError("PRECONDITION_FAILED", "This project is archived; unarchive it to add tasks");
      await assertAssignable(tx, ctx.workspace.id, input.assigneeId);
      const labels = await labelNames(tx, ctx.workspace.id, input.labelIds);
      const now = new Date();
      // The project row is locked by takeNextTaskNumber: positions in it are ours to compute.
      const above = await lastInColumn(tx, input.projectId, input.status);
      const position = await positionAt(tx, {
        projectId: input.projectId,
        status: input.status,
        taskId: null,
        above,
        below: null,
      });
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
      await audit(tx, ctx, {
        action: "task.created",
        taskId: id,
        after: {
          title: input.title,
          status: input.status,
          priority: input.priority,
          assigneeId: input.assigneeId ?? null,
          dueDate: input.dueDate ?? null,
          labels,
        },
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
  await forgetStatusCounts(ctx, input.projectId);
  return getTask(ctx, { taskId });
}
