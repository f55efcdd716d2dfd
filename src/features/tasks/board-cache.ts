/**
 * Pure edits of the board's cached columns, for optimistic moves. Each column is
 * an infinite list (pages of tasks ordered by position).
 */
import type { InfiniteData } from "@tanstack/react-query";
import type { TaskDto } from "@/shared/schemas/task";
import type { TaskStatus } from "@/shared/tracker";

export type ColumnPage = { items: TaskDto[]; nextCursor: string | null };
export type ColumnData = InfiniteData<ColumnPage, string | null>;

export function withoutTask(data: ColumnData | undefined, taskId: string): ColumnData | undefined {
  if (!data) return data;
  return { ...data, pages: data.pages.map((p) => ({ ...p, items: p.items.filter((t) => t.id !== taskId) })) };
}

/** Inserts `task` right after `afterTaskId` (or first when null). */
export function withTaskAfter(
  data: ColumnData | undefined,
  task: TaskDto,
  afterTaskId: string | null,
): ColumnData | undefined {
  if (!data || data.pages.length === 0) return data;
  const pages = data.pages.map((p) => ({ ...p, items: p.items.filter((t) => t.id !== task.id) }));
  if (afterTaskId === null) {
    pages[0] = { ...pages[0]!, items: [task, ...pages[0]!.items] };
    return { ...data, pages };
  }
  for (let i = 0; i < pages.length; i++) {
    const at = pages[i]!.items.findIndex((t) => t.id === afterTaskId);
    if (at >= 0) {
      const items = [...pages[i]!.items];
      items.splice(at + 1, 0, task);
      pages[i] = { ...pages[i]!, items };
      return { ...data, pages };
    }
  }
  // The neighbour is not loaded: show the task at the end of what is loaded.
  const last = pages.length - 1;
  pages[last] = { ...pages[last]!, items: [...pages[last]!.items, task] };
  return { ...data, pages };
}

export function columnTasks(data: ColumnData | undefined): TaskDto[] {
  return data?.pages.flatMap((p) => p.items) ?? [];
}

/** Where a task lands when dropped: the status and the task it will sit under. */
export type Drop = { status: TaskStatus; afterTaskId: string | null };

/**
 * Dropping `taskId` onto `overId` (a card, or the column itself when empty area).
 * Within a column it behaves like arrayMove; across columns it lands above the card.
 */
export function dropTarget(args: {
  taskId: string;
  from: TaskStatus;
  to: TaskStatus;
  overId: string | null;
  target: TaskDto[];
}): Drop {
  const { taskId, from, to, overId, target } = args;
  const ids = target.map((t) => t.id);
  if (overId === null || !ids.includes(overId)) {
    const rest = ids.filter((id) => id !== taskId);
    return { status: to, afterTaskId: rest.at(-1) ?? null };
  }
  const overIndex = ids.indexOf(overId);
  if (from === to) {
    const reordered = ids.filter((id) => id !== taskId);
    reordered.splice(overIndex, 0, taskId);
    const at = reordered.indexOf(taskId);
    return { status: to, afterTaskId: at > 0 ? reordered[at - 1]! : null };
  }
  return { status: to, afterTaskId: overIndex > 0 ? ids[overIndex - 1]! : null };
}
