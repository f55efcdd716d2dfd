/** Board moves: status and order within a column. */
import { AppError } from "@/server/errors";
import { findColumnTask, findTaskState, firstPositionAfter, lockTask, updateTaskAtVersion } from "@/server/db/tasks";
import { lockProject } from "@/server/db/projects";
import type { TaskDto } from "@/shared/schemas/task";
import type { TaskStatus } from "@/shared/tracker";
import { audit } from "../audit";
import type { WorkspaceContext } from "../context";
import { parseFieldVersions, withChanged } from "./conflicts";
import { positionAt } from "./position";
import { forgetStatusCounts, getTask } from "./reads";
import { completedAtFor } from "./rules";

/**
 * Moves a task to `status`, directly below `afterTaskId` (or to the top).
 * The new position is a fractional key between two neighbours, so no other
 * task is renumbered, unless that key grows too long (then the column is re-keyed, ./position.ts). Moves in a project are serialized by its row lock; a move
 * does not carry a version (last writer wins on order), and it only counts as a
 * change of `status` for concurrent edits, never of their fields.
 */
export async function moveTask(
  ctx: WorkspaceContext,
  input: { taskId: string; status: TaskStatus; afterTaskId?: string | null },
): Promise<TaskDto> {
  if (input.afterTaskId === input.taskId)
    throw AppError.badRequest("A task cannot be placed after itself", { afterTaskId: ["Pick a different task"] });
  await ctx.db.$transaction(async (tx) => {
    const found = await findTaskState(tx, ctx.workspace.id, input.taskId);
    if (!found) throw AppError.notFound("Task");
    // Lock order, as everywhere: the project, then the task; then read the task as it is now.
    await lockProject(tx, ctx.workspace.id, found.projectId);
    const locked = await lockTask(tx, ctx.workspace.id, found.id);
    const task = locked && (await findTaskState(tx, ctx.workspace.id, found.id));
    if (!locked || !task) throw AppError.notFound("Task");
    let above: { id: string; position: string } | null = null;
    if (input.afterTaskId) {
      const neighbour = await findColumnTask(tx, ctx.workspace.id, task.projectId, input.afterTaskId);
      if (!neighbour || neighbour.status !== input.status)
        throw AppError.conflict("The board changed while you were moving this task; refresh and try again");
      above = neighbour;
    }
    const below = await firstPositionAfter(tx, task.projectId, input.status, above, task.id);
    const position = await positionAt(tx, {
      projectId: task.projectId,
      status: input.status,
      taskId: task.id,
      above,
      below,
    });
    const statusChanged = task.status !== input.status;
    const moved = await updateTaskAtVersion(tx, ctx.workspace.id, task.id, locked.version, {
      status: input.status,
      position,
      ...(statusChanged
        ? {
            completedAt: completedAtFor(input.status, task.completedAt, new Date()),
            fieldVersions: withChanged(
              parseFieldVersions(locked.fieldVersions, locked.version),
              ["status"],
              locked.version + 1,
            ),
          }
        : {}),
    });
    // Cannot happen while the row is locked; kept as a guard.
    if (!moved) throw AppError.conflict("This task changed while you were moving it; try again");
    await audit(
      tx,
      ctx,
      statusChanged
        ? { action: "task.updated", taskId: task.id, before: { status: task.status }, after: { status: input.status } }
        : { action: "task.reordered", taskId: task.id, before: { position: task.position }, after: { position } },
    );
  });
  const moved = await getTask(ctx, { taskId: input.taskId });
  await forgetStatusCounts(ctx, moved.projectId);
  return moved;
}
