/**
 * The query inputs of the task lists a page shows first — board columns and the list — defined once
 * for the client components that run them and the Server Components that prefetch them
 * (src/features/projects/prefetch.ts). A prefetch only helps if its input is exactly the client's.
 * No "use client" here: a Server Component importing from a client module gets a reference, not the function.
 */
import type { TaskFilter, TaskSort } from "@/shared/schemas/task";
import type { TaskStatus } from "@/shared/tracker";

export const TASK_PAGE_SIZE = 50;
/**
 * Cards per column page: more than a screen shows, fewer than the list's rows — six columns of 50
 * cards made hydrating a full board the page's longest task (Lighthouse TBT); the rest scrolls in.
 */
export const BOARD_PAGE_SIZE = 20;

/** A board column: a project's tasks in one status, in board order. */
export function boardColumnInput(workspaceSlug: string, projectId: string, status: TaskStatus) {
  return { workspaceSlug, filter: { projectId, status: [status] }, sort: "position" as const, limit: BOARD_PAGE_SIZE };
}

/** The list: tasks matching `filter` in `sort` order (`order` unset: the sort's natural direction). */
export function taskListInput(
  workspaceSlug: string,
  filter: TaskFilter,
  sort: Exclude<TaskSort, "position">,
  order?: "asc" | "desc",
) {
  return { workspaceSlug, filter, sort, order, limit: TASK_PAGE_SIZE };
}
