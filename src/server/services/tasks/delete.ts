/** Soft delete: the task disappears everywhere but its row and history stay (see docs/decisions). */
import { AppError } from "@/server/errors";
import { findTaskState, softDeleteTask } from "@/server/db/tasks";
import { audit } from "../audit";
import type { WorkspaceContext } from "../context";
import { forgetStatusCounts } from "./reads";

export async function deleteTask(ctx: WorkspaceContext, input: { taskId: string }): Promise<void> {
  const projectId = await ctx.db.$transaction(async (tx) => {
    const task = await findTaskState(tx, ctx.workspace.id, input.taskId);
    if (!task) throw AppError.notFound("Task");
    await softDeleteTask(tx, ctx.workspace.id, task.id, new Date());
    await audit(tx, ctx, {
      action: "task.deleted",
      taskId: task.id,
      before: { title: task.title, status: task.status },
    });
    return task.projectId;
  });
  await forgetStatusCounts(ctx, projectId);
}
