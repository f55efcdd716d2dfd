"use client";
import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useInfiniteScroll } from "@/components/ui/use-infinite-scroll";
import { Input, Select } from "@/components/ui/field";
import { EmptyState, ErrorState, LoadingState } from "@/components/ui/states";
import { cn } from "@/components/ui/cn";
import { useTRPC } from "@/trpc/client";
import { messageOf } from "@/trpc/errors";
import { useWorkspace } from "@/features/workspace/workspace-context";
import { useDebounced } from "@/features/search/use-debounced";
import {
  CLOSED_STATUSES,
  PRIORITY_LABEL,
  STATUS_LABEL,
  TASK_PRIORITIES,
  TASK_STATUSES,
  type TaskPriority,
  type TaskStatus,
} from "@/shared/tracker";
import type { TaskFilter, TaskSort } from "@/shared/schemas/task";
import { taskListInput } from "./task-list-inputs";
import { AssigneeAvatar, DueDate, LabelChip, PriorityIcon, StatusIcon, TaskLink } from "./task-bits";

type Due = "any" | "overdue" | "week" | "none";

function localDate(offsetDays = 0): string {
  const d = new Date();
  d.setDate(d.getDate() + offsetDays);
  return d.toLocaleDateString("en-CA"); // YYYY-MM-DD in the viewer's time zone
}

function dueFilter(due: Due): Partial<TaskFilter> {
  switch (due) {
    case "overdue":
      return { dueBefore: localDate(-1), status: ["BACKLOG", "TODO", "IN_PROGRESS", "IN_REVIEW"] };
    case "week":
      return { dueAfter: localDate(), dueBefore: localDate(7) };
    case "none":
      return { hasDueDate: false };
    case "any":
      return {};
  }
}

/** Filters size to their text (w-auto): a fixed width cut "Any priority" off at 1280 px. */
const filterSelect = "h-8 w-auto max-w-56 shrink-0 text-xs";

/** The sorts a list offers; relevance only while there is a search. */
export type ListSort = Exclude<TaskSort, "position">;
const SORT_LABEL: Record<ListSort, string> = {
  relevance: "Relevance",
  created: "Created",
  updated: "Updated",
  priority: "Priority",
  due: "Due date",
};

type TaskListProps = {
  baseFilter: TaskFilter;
  showProject?: boolean;
  lockAssignee?: boolean;
  /** The search the list starts with (the search page passes ?q=). */
  initialQuery?: string;
  /** Called with the search once typing pauses (the search page puts it in the URL). */
  onQueryChange?: (q: string) => void;
  initialSort?: ListSort;
};

/** Filterable, searchable, sortable task list with keyset pagination and infinite scrolling to the last match. */
export function TaskList({
  baseFilter,
  showProject = false,
  lockAssignee = false,
  initialQuery = "",
  onQueryChange,
  initialSort = "created",
}: TaskListProps) {
  const trpc = useTRPC();
  const { slug, userId } = useWorkspace();
  const [statuses, setStatuses] = useState<TaskStatus[]>([]);
  const [assignee, setAssignee] = useState<string>("any");
  const [labelId, setLabelId] = useState<string>("");
  const [priority, setPriority] = useState<TaskPriority | "">("");
  const [due, setDue] = useState<Due>("any");
  const [sort, setSort] = useState<ListSort>(initialSort);
  const [text, setText] = useState(initialQuery);
  const q = useDebounced(text.trim(), 250);
  // Relevance means nothing without a search: the list falls back to newest first.
  const effectiveSort: ListSort = sort === "relevance" && !q ? "created" : sort;
  useEffect(() => {
    onQueryChange?.(q);
  }, [q, onQueryChange]);
  const [direction, setDirection] = useState<"asc" | "desc" | undefined>(undefined);
  const members = useQuery({ ...trpc.member.list.queryOptions({ workspaceSlug: slug }), enabled: !lockAssignee });
  const labels = useQuery(trpc.label.list.queryOptions({ workspaceSlug: slug }));

  const dueParts = dueFilter(due);
  const filter: TaskFilter = {
    ...baseFilter,
    ...dueParts,
    ...(statuses.length ? { status: statuses } : dueParts.status ? { status: dueParts.status } : {}),
    ...(assignee === "any" ? {} : { assigneeId: assignee === "none" ? null : assignee === "me" ? userId : assignee }),
    ...(labelId ? { labelId } : {}),
    ...(priority ? { priority: [priority] } : {}),
    ...(q ? { q } : {}),
  };
  const query = useInfiniteQuery(
    trpc.task.list.infiniteQueryOptions(taskListInput(slug, filter, effectiveSort, direction), {
      getNextPageParam: (p) => p.nextCursor ?? undefined,
    }),
  );
  const tasks = query.data?.pages.flatMap((p) => p.items) ?? [];

  const sentinel = useInfiniteScroll(query, "400px");
  const { hasNextPage, isFetchingNextPage } = query;

  // The search page's query is the page itself, not a filter to clear.
  const ownSearch = onQueryChange === undefined;
  const otherFilters = statuses.length > 0 || assignee !== "any" || labelId !== "" || priority !== "" || due !== "any";
  const filtered = otherFilters || (ownSearch && text !== "");
  const clearFilters = () => {
    if (ownSearch) setText("");
    setStatuses([]);
    setAssignee("any");
    setLabelId("");
    setPriority("");
    setDue("any");
  };

  const toggleStatus = (s: TaskStatus) =>
    setStatuses((cur) => (cur.includes(s) ? cur.filter((x) => x !== s) : [...cur, s]));

  return (
    <div>
      {/* Two rows on purpose: six status chips, four filters and the sort do not fit one row at 1280 px,
          and wrapping mid-row left selects cut off. Selects size to their text, so none is clipped. */}
      <div
        className="space-y-2 border-b border-zinc-200 px-6 py-2"
        role="toolbar"
        aria-label="Filters"
        data-testid="filter-bar"
      >
        <div className="flex flex-wrap items-center gap-2">
          <div className="flex flex-wrap gap-1" role="group" aria-label="Status">
            {TASK_STATUSES.map((s) => (
              <button
                key={s}
                type="button"
                aria-pressed={statuses.includes(s)}
                onClick={() => toggleStatus(s)}
                className={cn(
                  "inline-flex items-center gap-1 rounded-full border px-2 py-0.5 text-xs focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-brand-500",
                  statuses.includes(s)
                    ? "border-zinc-800 bg-zinc-800 text-white"
                    : "border-zinc-300 text-zinc-700 hover:border-zinc-400",
                )}
              >
                <StatusIcon status={s} /> {STATUS_LABEL[s]}
              </button>
            ))}
          </div>
          <div className="ml-auto flex items-center gap-1">
            <Select
              aria-label="Sort by"
              className={filterSelect}
              value={effectiveSort}
              onChange={(e) => {
                setSort(e.target.value as ListSort);
                setDirection(undefined);
              }}
            >
              {Object.entries(SORT_LABEL)
                .filter(([value]) => value !== "relevance" || q)
                .map(([value, label]) => (
                  <option key={value} value={value}>
                    Sort: {label}
                  </option>
                ))}
            </Select>
            <button
              type="button"
              className="h-8 shrink-0 rounded-md border border-zinc-300 px-2 text-xs text-zinc-800 hover:bg-zinc-50 focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-brand-500"
              title="Reverse order"
              onClick={() =>
                setDirection((d) =>
                  d === "asc" ? "desc" : d === "desc" ? "asc" : effectiveSort === "due" ? "desc" : "asc",
                )
              }
            >
              {(direction ?? (effectiveSort === "due" ? "asc" : "desc")) === "asc" ? (
                <>
                  <span aria-hidden>↑</span> Asc<span className="sr-only">ending; reverse order</span>
                </>
              ) : (
                <>
                  <span aria-hidden>↓</span> Desc<span className="sr-only">ending; reverse order</span>
                </>
              )}
            </button>
          </div>
        </div>
        <div className="flex flex-wrap items-center gap-2">
          <Input
            type="search"
            aria-label="Search tasks"
            placeholder="Search titles, descriptions, comments…"
            className="h-8 w-64 max-w-full shrink-0 text-xs"
            value={text}
            onChange={(e) => setText(e.target.value)}
            maxLength={200}
            data-testid="list-search"
          />
          {!lockAssignee ? (
            <Select
              aria-label="Assignee"
              className={filterSelect}
              value={assignee}
              onChange={(e) => setAssignee(e.target.value)}
            >
              <option value="any">Any assignee</option>
              <option value="me">Assigned to me</option>
              <option value="none">Unassigned</option>
              {members.data?.map((m) => (
                <option key={m.user.id} value={m.user.id}>
                  {m.user.name ?? m.user.email}
                </option>
              ))}
            </Select>
          ) : null}
          <Select
            aria-label="Label"
            className={filterSelect}
            value={labelId}
            onChange={(e) => setLabelId(e.target.value)}
          >
            <option value="">Any label</option>
            {labels.data?.map((l) => (
              <option key={l.id} value={l.id}>
                {l.name}
              </option>
            ))}
          </Select>
          <Select
            aria-label="Priority"
            className={filterSelect}
            value={priority}
            onChange={(e) => setPriority(e.target.value as TaskPriority | "")}
          >
            <option value="">Any priority</option>
            {TASK_PRIORITIES.map((p) => (
              <option key={p} value={p}>
                {PRIORITY_LABEL[p]}
              </option>
            ))}
          </Select>
          <Select aria-label="Due" className={filterSelect} value={due} onChange={(e) => setDue(e.target.value as Due)}>
            <option value="any">Any due date</option>
            <option value="overdue">Overdue</option>
            <option value="week">Due in 7 days</option>
            <option value="none">No due date</option>
          </Select>
          {filtered ? (
            <button
              type="button"
              className="rounded px-1.5 py-1 text-xs text-brand-700 underline hover:text-brand-600"
              onClick={clearFilters}
            >
              Clear filters
            </button>
          ) : null}
        </div>
      </div>
      {query.isPending ? (
        <LoadingState label="Loading tasks…" />
      ) : query.isError ? (
        <ErrorState message={messageOf(query.error)} onRetry={() => void query.refetch()} />
      ) : tasks.length === 0 ? (
        <div className="p-6">
          <EmptyState
            title={
              q ? `No tasks match “${q}”${otherFilters ? " with these filters" : ""}` : "No tasks match these filters"
            }
          />
        </div>
      ) : (
        <ul className="divide-y divide-zinc-100" data-testid="task-list">
          {tasks.map((t) => {
            const closed = CLOSED_STATUSES.includes(t.status);
            return (
              <li
                key={t.id}
                className="flex items-center gap-3 px-6 py-2 text-sm hover:bg-zinc-50"
                data-testid="task-row"
                data-ref={t.ref}
              >
                <PriorityIcon priority={t.priority} />
                <span className="w-20 shrink-0 font-mono text-xs text-zinc-500">{t.ref}</span>
                <StatusIcon status={t.status} />
                <TaskLink
                  slug={slug}
                  taskRef={t.ref}
                  className={cn("min-w-0 flex-1 truncate", closed && "text-zinc-500")}
                >
                  {t.title}
                </TaskLink>
                <span className="hidden gap-1 md:flex">
                  {t.labels.map((l) => (
                    <LabelChip key={l.id} name={l.name} color={l.color} />
                  ))}
                </span>
                {showProject ? <span className="hidden text-xs text-zinc-500 lg:inline">{t.projectKey}</span> : null}
                {t.dueDate ? <DueDate date={t.dueDate} closed={closed} /> : <span className="w-12" />}
                <AssigneeAvatar user={t.assignee} />
              </li>
            );
          })}
        </ul>
      )}
      {hasNextPage ? (
        <div ref={sentinel} className="p-4 text-center text-xs text-zinc-500">
          {isFetchingNextPage ? "Loading more…" : "Scroll for more"}
        </div>
      ) : null}
    </div>
  );
}
