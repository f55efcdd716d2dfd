"use client";
import {
  DndContext,
  DragOverlay,
  KeyboardSensor,
  PointerSensor,
  closestCorners,
  pointerWithin,
  type CollisionDetection,
  useDroppable,
  useSensor,
  useSensors,
  type DragEndEvent,
  type DragStartEvent,
} from "@dnd-kit/core";
import {
  SortableContext,
  sortableKeyboardCoordinates,
  useSortable,
  verticalListSortingStrategy,
} from "@dnd-kit/sortable";
import { CSS } from "@dnd-kit/utilities";
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { useInfiniteScroll } from "@/components/ui/use-infinite-scroll";
import { toast } from "sonner";
import { cn } from "@/components/ui/cn";
import { Spinner } from "@/components/ui/button";
import { ErrorState } from "@/components/ui/states";
import { SideScroller } from "@/components/ui/side-scroller";
import { useTRPC, useTRPCClient } from "@/trpc/client";
import { messageOf } from "@/trpc/errors";
import { useWorkspace } from "@/features/workspace/workspace-context";
import { STATUS_LABEL, TASK_STATUSES, CLOSED_STATUSES, type TaskStatus } from "@/shared/tracker";
import { boardColumnInput } from "./task-list-inputs";
import type { ProjectDto } from "@/shared/schemas/project";
import type { TaskDto } from "@/shared/schemas/task";
import { AssigneeAvatar, DueDate, LabelChip, PriorityIcon } from "./task-bits";
import { columnTasks, dropTarget, withTaskAfter, withoutTask, type ColumnData, type Drop } from "./board-cache";
import { useInvalidateTasks } from "./use-task-lists";

/**
 * What the pointer is over wins (so a drop anywhere in an empty column lands there);
 * keyboard drags have no pointer and fall back to the nearest corners.
 */
const collisionDetection: CollisionDetection = (args) => {
  const under = pointerWithin(args);
  if (under.length === 0) return closestCorners(args);
  // Over a card and its column: the card decides the position.
  const card = under.find((c) => !String(c.id).startsWith("column:"));
  return card ? [card] : under;
};

/** The card that should hold keyboard focus once it renders in its new place. */
type FocusRequest = { ref: string; status: TaskStatus } | null;

/** Moves a task with an optimistic update of both columns, rolled back if the server refuses. */
function useMoveTask(projectId: string) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const { slug } = useWorkspace();
  const invalidate = useInvalidateTasks();
  const keyFor = (status: TaskStatus) => trpc.task.list.infiniteQueryKey(boardColumnInput(slug, projectId, status));

  return useMutation({
    mutationFn: (args: { task: TaskDto; drop: Drop }) =>
      client.task.move.mutate({
        workspaceSlug: slug,
        taskId: args.task.id,
        status: args.drop.status,
        afterTaskId: args.drop.afterTaskId,
      }),
    onMutate: async ({ task, drop }) => {
      const fromKey = keyFor(task.status);
      const toKey = keyFor(drop.status);
      await Promise.all([
        queryClient.cancelQueries({ queryKey: fromKey }),
        queryClient.cancelQueries({ queryKey: toKey }),
      ]);
      const snapshot = {
        from: queryClient.getQueryData<ColumnData>(fromKey),
        to: queryClient.getQueryData<ColumnData>(toKey),
      };
      queryClient.setQueryData<ColumnData>(fromKey, (d) => withoutTask(d, task.id));
      queryClient.setQueryData<ColumnData>(toKey, (d) =>
        withTaskAfter(d, { ...task, status: drop.status }, drop.afterTaskId),
      );
      return { snapshot, fromKey, toKey };
    },
    onError: (error, _vars, context) => {
      if (context) {
        queryClient.setQueryData(context.fromKey, context.snapshot.from);
        queryClient.setQueryData(context.toKey, context.snapshot.to);
      }
      toast.error(`Move failed: ${messageOf(error)}`);
    },
    onSettled: () => invalidate(),
  });
}

/** What a card shows; used by the sortable card and by the drag overlay. */
function CardContent({ task }: { task: TaskDto }) {
  const closed = CLOSED_STATUSES.includes(task.status);
  return (
    <>
      <div className="flex items-center justify-between gap-2 text-xs text-zinc-500">
        <span className="font-mono">{task.ref}</span>
        <AssigneeAvatar user={task.assignee} />
      </div>
      <p className={cn("mt-1 line-clamp-3", closed && "text-zinc-500 line-through decoration-zinc-300")}>
        {task.title}
      </p>
      <div className="mt-2 flex flex-wrap items-center gap-1.5">
        <PriorityIcon priority={task.priority} />
        {task.dueDate ? <DueDate date={task.dueDate} closed={closed} /> : null}
        {task.labels.map((l) => (
          <LabelChip key={l.id} name={l.name} color={l.color} />
        ))}
      </div>
    </>
  );
}

// select-none: a card is a handle and a link, so pressing and moving on it (also as a viewer, who cannot drag) never paints a text selection.
const cardClass =
  "cursor-pointer select-none rounded-lg border border-zinc-200 bg-white p-2.5 text-sm shadow-xs outline-none hover:border-zinc-300 focus-visible:ring-2 focus-visible:ring-brand-500";

function TaskCard({
  task,
  onKeyboardMove,
  focusRequest = null,
  onFocusSettled,
}: {
  task: TaskDto;
  onKeyboardMove: (e: React.KeyboardEvent) => void;
  focusRequest: FocusRequest;
  onFocusSettled: () => void;
}) {
  const { slug, can } = useWorkspace();
  const router = useRouter();
  // Viewers can open cards but not pick them up.
  const movable = can("task.update");
  const { attributes, listeners, setNodeRef, transform, transition, isDragging } = useSortable({
    id: task.id,
    data: { status: task.status },
    disabled: !movable,
  });
  const node = useRef<HTMLDivElement | null>(null);
  const wantsFocus = focusRequest?.ref === task.ref && focusRequest.status === task.status;
  // After a keyboard move the card re-mounts in its new column (or its node moves): keep focus on it.
  useEffect(() => {
    if (wantsFocus && document.activeElement !== node.current) node.current?.focus();
  });
  return (
    <div
      ref={(el) => {
        setNodeRef(el);
        node.current = el;
      }}
      onBlur={(e) => {
        // Focus moved elsewhere on purpose (not lost to a DOM move): stop following the card.
        if (wantsFocus && e.relatedTarget) onFocusSettled();
      }}
      style={{ transform: CSS.Transform.toString(transform), transition }}
      {...attributes}
      // dnd-kit marks a card it cannot drag aria-disabled, but a viewer's card still opens the task.
      aria-disabled={undefined}
      {...listeners}
      onKeyDown={(e) => {
        if (e.key === "Enter") router.push(`/w/${slug}/tasks/${task.ref}`);
        else if (e.altKey) onKeyboardMove(e);
        else listeners?.onKeyDown?.(e);
      }}
      onClick={() => router.push(`/w/${slug}/tasks/${task.ref}`)}
      aria-label={`${task.ref}: ${task.title}. Press Enter to open${movable ? ", Alt+arrows to move" : ""}.`}
      aria-roledescription="task card"
      data-testid="board-card"
      data-ref={task.ref}
      className={cn(cardClass, isDragging && "opacity-40")}
    >
      <CardContent task={task} />
    </div>
  );
}

function Column({
  projectId,
  status,
  total,
  onNewTask,
  onKeyboardMove,
  focusRequest,
  onFocusSettled,
}: {
  projectId: string;
  status: TaskStatus;
  total: number | undefined;
  onNewTask: (status: TaskStatus) => void;
  onKeyboardMove: (task: TaskDto, e: React.KeyboardEvent) => void;
  focusRequest: FocusRequest;
  onFocusSettled: () => void;
}) {
  const trpc = useTRPC();
  const { slug, can } = useWorkspace();
  const input = boardColumnInput(slug, projectId, status);
  const query = useInfiniteQuery(
    trpc.task.list.infiniteQueryOptions(input, { getNextPageParam: (page) => page.nextCursor ?? undefined }),
  );
  const { setNodeRef, isOver } = useDroppable({ id: `column:${status}`, data: { status } });
  const tasks = columnTasks(query.data);
  const sentinel = useInfiniteScroll(query);
  const { hasNextPage, isFetchingNextPage } = query;

  return (
    <section
      aria-label={`${STATUS_LABEL[status]} column`}
      data-testid={`column-${status}`}
      className="flex w-60 shrink-0 flex-col rounded-xl bg-zinc-100/70"
    >
      <header className="flex items-center justify-between px-3 pt-2.5 pb-1.5">
        <h2 className="text-sm font-medium">
          {STATUS_LABEL[status]} <span className="ml-1 text-zinc-500">{total ?? ""}</span>
        </h2>
        {can("task.create") ? (
          <button
            type="button"
            onClick={() => onNewTask(status)}
            className="rounded px-1.5 text-lg leading-none text-zinc-500 hover:bg-zinc-200"
            aria-label={`New task in ${STATUS_LABEL[status]}`}
          >
            +
          </button>
        ) : null}
      </header>
      <div
        ref={setNodeRef}
        className={cn(
          "flex min-h-24 flex-1 flex-col gap-2 overflow-y-auto px-2 pb-2",
          isOver && "rounded-lg bg-brand-50",
        )}
      >
        {query.isPending ? (
          <div className="flex justify-center p-4 text-zinc-500">
            <Spinner />
          </div>
        ) : query.isError ? (
          <ErrorState message={messageOf(query.error)} onRetry={() => void query.refetch()} />
        ) : (
          <SortableContext items={tasks.map((t) => t.id)} strategy={verticalListSortingStrategy}>
            {tasks.map((task) => (
              <TaskCard
                key={task.id}
                task={task}
                onKeyboardMove={(e) => onKeyboardMove(task, e)}
                focusRequest={focusRequest}
                onFocusSettled={onFocusSettled}
              />
            ))}
          </SortableContext>
        )}
        {hasNextPage ? (
          <div ref={sentinel} className="py-2 text-center text-xs text-zinc-500">
            {isFetchingNextPage ? "Loading…" : "Scroll for more"}
          </div>
        ) : null}
      </div>
    </section>
  );
}

export function Board({ project, onNewTask }: { project: ProjectDto; onNewTask: (status: TaskStatus) => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { slug, can } = useWorkspace();
  const counts = useQuery(trpc.task.statusCounts.queryOptions({ workspaceSlug: slug, projectId: project.id }));
  const move = useMoveTask(project.id);
  const [dragging, setDragging] = useState<TaskDto | null>(null);
  const [focusRequest, setFocusRequest] = useState<FocusRequest>(null);
  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 6 } }),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  );
  const canMove = can("task.update");

  const columnData = (status: TaskStatus) =>
    columnTasks(
      queryClient.getQueryData<ColumnData>(trpc.task.list.infiniteQueryKey(boardColumnInput(slug, project.id, status))),
    );
  const findTask = (id: string): TaskDto | undefined => TASK_STATUSES.flatMap(columnData).find((t) => t.id === id);

  function onDragStart(event: DragStartEvent) {
    setFocusRequest(null);
    setDragging(findTask(String(event.active.id)) ?? null);
  }

  function onDragEnd(event: DragEndEvent) {
    setDragging(null);
    const task = findTask(String(event.active.id));
    if (!task || !event.over || !canMove) return;
    const overId = String(event.over.id);
    const overStatus = (event.over.data.current as { status?: TaskStatus } | undefined)?.status;
    if (!overStatus) return;
    const drop = dropTarget({
      taskId: task.id,
      from: task.status,
      to: overStatus,
      overId: overId.startsWith("column:") ? null : overId,
      target: columnData(overStatus),
    });
    const current = columnData(task.status);
    const currentAbove = current[current.findIndex((t) => t.id === task.id) - 1]?.id ?? null;
    if (drop.status === task.status && drop.afterTaskId === currentAbove) return; // dropped where it was
    move.mutate({ task, drop });
  }

  /** Alt+↑/↓ reorders within the column; Alt+←/→ moves to the neighbouring column's top. */
  function onKeyboardMove(task: TaskDto, e: React.KeyboardEvent) {
    if (!canMove) return;
    const tasks = columnData(task.status);
    const i = tasks.findIndex((t) => t.id === task.id);
    let drop: Drop | null = null;
    if (e.key === "ArrowUp" && i > 0) drop = { status: task.status, afterTaskId: tasks[i - 2]?.id ?? null };
    if (e.key === "ArrowDown" && i < tasks.length - 1) drop = { status: task.status, afterTaskId: tasks[i + 1]!.id };
    const s = TASK_STATUSES.indexOf(task.status);
    if (e.key === "ArrowLeft" && s > 0) drop = { status: TASK_STATUSES[s - 1]!, afterTaskId: null };
    if (e.key === "ArrowRight" && s < TASK_STATUSES.length - 1)
      drop = { status: TASK_STATUSES[s + 1]!, afterTaskId: null };
    if (!drop) return;
    e.preventDefault();
    setFocusRequest({ ref: task.ref, status: drop.status });
    move.mutate({ task, drop });
  }

  return (
    <DndContext
      sensors={sensors}
      collisionDetection={collisionDetection}
      onDragStart={onDragStart}
      onDragEnd={onDragEnd}
      onDragCancel={() => setDragging(null)}
    >
      <SideScroller label="Board columns" testId="board">
        {TASK_STATUSES.map((status) => (
          <Column
            key={status}
            projectId={project.id}
            status={status}
            total={counts.data?.[status]}
            onNewTask={onNewTask}
            onKeyboardMove={onKeyboardMove}
            focusRequest={focusRequest}
            onFocusSettled={() => setFocusRequest(null)}
          />
        ))}
      </SideScroller>
      <DragOverlay>
        {dragging ? (
          <div className={cn(cardClass, "rotate-1 shadow-lg")} data-ref={dragging.ref} aria-hidden>
            <CardContent task={dragging} />
          </div>
        ) : null}
      </DragOverlay>
    </DndContext>
  );
}
