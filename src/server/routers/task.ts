import { router } from "@/server/trpc/init";
import { workspaceProcedure } from "@/server/trpc/procedures";
import { okSchema } from "@/shared/schemas/common";
import {
  createTaskInput,
  listTasksInput,
  moveTaskInput,
  statusCountsInput,
  statusCountsSchema,
  taskByRefInput,
  taskDetailSchema,
  taskIdInput,
  taskPageSchema,
  taskSchema,
  updateTaskInput,
} from "@/shared/schemas/task";
import {
  createTask,
  deleteTask,
  getTask,
  getTaskByRef,
  listTasks,
  moveTask,
  statusCounts,
  updateTask,
} from "@/server/services/tasks";

export const taskRouter = router({
  /** Filtered, sorted, keyset-paginated tasks. Members. */
  list: workspaceProcedure("task.read")
    .input(listTasksInput)
    .output(taskPageSchema)
    .query(({ ctx, input }) => listTasks(ctx.scope, input)),
  /** Tasks per status in a project (board column totals). Members. */
  statusCounts: workspaceProcedure("task.read")
    .input(statusCountsInput)
    .output(statusCountsSchema)
    .query(({ ctx, input }) => statusCounts(ctx.scope, input)),
  /** One task by id. Members. */
  get: workspaceProcedure("task.read")
    .input(taskIdInput)
    .output(taskDetailSchema)
    .query(({ ctx, input }) => getTask(ctx.scope, input)),
  /** One task by reference, e.g. WEB-42. Members. */
  byRef: workspaceProcedure("task.read")
    .input(taskByRefInput)
    .output(taskDetailSchema)
    .query(({ ctx, input }) => getTaskByRef(ctx.scope, input)),
  /** Create (idempotent with idempotencyKey). Owners, admins, members. */
  create: workspaceProcedure("task.create")
    .input(createTaskInput)
    .output(taskDetailSchema)
    .mutation(({ ctx, input }) => createTask(ctx.scope, input)),
  /** Change fields; CONFLICT if a changed field was changed since `version`. Owners, admins, members. */
  update: workspaceProcedure("task.update")
    .input(updateTaskInput)
    .output(taskDetailSchema)
    .mutation(({ ctx, input }) => updateTask(ctx.scope, input)),
  /** Move on the board (status + order). Owners, admins, members. */
  move: workspaceProcedure("task.update")
    .input(moveTaskInput)
    .output(taskSchema)
    .mutation(({ ctx, input }) => moveTask(ctx.scope, input)),
  /** Soft-delete. Owners, admins, members. */
  delete: workspaceProcedure("task.delete")
    .input(taskIdInput)
    .output(okSchema)
    .mutation(async ({ ctx, input }) => (await deleteTask(ctx.scope, input), { ok: true as const })),
});
