import { router } from "@/server/trpc/init";
import { rest } from "@/server/rest/meta";
import { workspaceProcedure } from "@/server/trpc/procedures";
import { fastOutput } from "@/server/trpc/output";
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
    .meta(rest("POST", "/tasks/query", "Tasks", "List tasks: filter, sort, search and page (a query sent as a body)"))
    .input(listTasksInput)
    .output(fastOutput(taskPageSchema))
    .query(({ ctx, input }) => listTasks(ctx.scope, input)),
  /** Tasks per status in a project (board column totals). Members. */
  statusCounts: workspaceProcedure("task.read")
    .meta(rest("GET", "/projects/{projectId}/task-counts", "Tasks", "Count a project's tasks per status"))
    .input(statusCountsInput)
    .output(fastOutput(statusCountsSchema))
    .query(({ ctx, input }) => statusCounts(ctx.scope, input)),
  /** One task by id. Members. */
  get: workspaceProcedure("task.read")
    .meta(rest("GET", "/tasks/{taskId}", "Tasks", "Get a task"))
    .input(taskIdInput)
    .output(fastOutput(taskDetailSchema))
    .query(({ ctx, input }) => getTask(ctx.scope, input)),
  /** One task by reference, e.g. WEB-42. Members. */
  byRef: workspaceProcedure("task.read")
    .meta(rest("GET", "/tasks/by-ref/{ref}", "Tasks", "Get a task by its reference, e.g. WEB-42"))
    .input(taskByRefInput)
    .output(fastOutput(taskDetailSchema))
    .query(({ ctx, input }) => getTaskByRef(ctx.scope, input)),
  /** Create (idempotent with idempotencyKey). Owners, admins, members. */
  create: workspaceProcedure("task.create")
    .meta(rest("POST", "/tasks", "Tasks", "Create a task"))
    .input(createTaskInput)
    .output(fastOutput(taskDetailSchema))
    .mutation(({ ctx, input }) => createTask(ctx.scope, input)),
  /** Change fields; CONFLICT if a changed field was changed since `version`. Owners, admins, members. */
  update: workspaceProcedure("task.update")
    .meta(rest("PATCH", "/tasks/{taskId}", "Tasks", "Change a task's fields"))
    .input(updateTaskInput)
    .output(fastOutput(taskDetailSchema))
    .mutation(({ ctx, input }) => updateTask(ctx.scope, input)),
  /** Move on the board (status + order). Owners, admins, members. */
  move: workspaceProcedure("task.update")
    .meta(rest("POST", "/tasks/{taskId}/move", "Tasks", "Move a task on the board"))
    .input(moveTaskInput)
    .output(fastOutput(taskSchema))
    .mutation(({ ctx, input }) => moveTask(ctx.scope, input)),
  /** Soft-delete. Owners, admins, members. */
  delete: workspaceProcedure("task.delete")
    .meta(rest("DELETE", "/tasks/{taskId}", "Tasks", "Delete a task"))
    .input(taskIdInput)
    .output(fastOutput(okSchema))
    .mutation(async ({ ctx, input }) => (await deleteTask(ctx.scope, input), { ok: true as const })),
});
