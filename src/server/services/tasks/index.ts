/**
 * Tasks: numbering, board order, optimistic concurrency, idempotent creates,
 * soft delete, and an audit event for every change (same transaction).
 * One module per concern; this is the domain's public surface.
 */
export { toTaskDetailDto, toTaskDto } from "./mapping";
export { getTask, getTaskByRef, listTasks, statusCounts } from "./reads";
export { createTask } from "./create";
export { updateTask } from "./update";
export { moveTask } from "./move";
export { deleteTask } from "./delete";
