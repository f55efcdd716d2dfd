/** Board moves: status and order within a column. */
import { generateKeyBetween } from "fractional-indexing";
import { AppError } from "@/server/errors";
import { findColumnTask, findTaskState, firstPositionAfter, updateTaskAtVersion } from "@/server/db/tasks";
import { lockProject } from "@/server/db/projects";
import type { TaskDto } from "@/shared/schemas/task";
import type { TaskStatus } from "@/shared/tracker";
import { audit } from "../audit";
import type { WorkspaceContext } from "../context";
import { getTask } from "./reads";
import { completedAtFor } from "./rules";

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
    await audit(
      tx,
      ctx,
      statusChanged
        ? { action: "task.updated", taskId: task.id, before: { status: task.status }, after: { status: input.status } }
        : { action: "task.reordered", taskId: task.id, before: { position: task.position }, after: { position } },
    );
  });
  return getTask(ctx, { taskId: input.taskId });
}
