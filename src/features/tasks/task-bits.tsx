/** Small, consistent pieces every task view uses. */
import Link from "next/link";
import { cn } from "@/components/ui/cn";
import { Avatar } from "@/components/ui/states";
import { PRIORITY_LABEL, STATUS_LABEL, type TaskPriority, type TaskStatus } from "@/shared/tracker";
import type { UserSummary } from "@/shared/schemas/common";

const STATUS_COLOR: Record<TaskStatus, string> = {
  BACKLOG: "border-zinc-400 border-dashed",
  TODO: "border-zinc-400",
  IN_PROGRESS: "border-amber-500 bg-amber-500/30",
  IN_REVIEW: "border-violet-500 bg-violet-500/30",
  DONE: "border-emerald-600 bg-emerald-600",
  CANCELED: "border-zinc-400 bg-zinc-300",
};

export function StatusIcon({ status }: { status: TaskStatus }) {
  return (
    <span
      role="img"
      aria-label={STATUS_LABEL[status]}
      title={STATUS_LABEL[status]}
      className={cn("inline-block h-3.5 w-3.5 shrink-0 rounded-full border-2", STATUS_COLOR[status])}
    />
  );
}

const PRIORITY_BARS: Record<TaskPriority, number> = { NONE: 0, LOW: 1, MEDIUM: 2, HIGH: 3, URGENT: 4 };

export function PriorityIcon({ priority }: { priority: TaskPriority }) {
  if (priority === "URGENT") {
    return (
      <span
        role="img"
        aria-label="Urgent"
        title="Urgent"
        className="inline-flex h-3.5 w-3.5 items-center justify-center rounded-sm bg-red-600 text-[10px] font-bold text-white"
      >
        !
      </span>
    );
  }
  const bars = PRIORITY_BARS[priority];
  return (
    <span
      role="img"
      aria-label={PRIORITY_LABEL[priority]}
      title={PRIORITY_LABEL[priority]}
      className="inline-flex h-3.5 w-3.5 items-end gap-px"
    >
      {[1, 2, 3].map((b) => (
        <span
          key={b}
          className={cn("w-1 rounded-sm", b <= bars ? "bg-zinc-700" : "bg-zinc-300")}
          style={{ height: `${b * 33}%` }}
        />
      ))}
    </span>
  );
}

export function LabelChip({ name, color }: { name: string; color: string }) {
  return (
    <span className="inline-flex items-center gap-1 rounded-full border border-zinc-200 px-1.5 py-px text-[11px] text-zinc-700">
      <span className="h-2 w-2 rounded-full" style={{ background: color }} aria-hidden />
      {name}
    </span>
  );
}

/** "Dec 31", red when overdue (compared with the viewer's local date). */
export function DueDate({ date, closed, long = false }: { date: string; closed?: boolean; long?: boolean }) {
  const today = new Date().toLocaleDateString("en-CA");
  const overdue = !closed && date < today;
  const label = new Date(`${date}T00:00:00`).toLocaleDateString("en", {
    month: "short",
    day: "numeric",
    ...(long ? { year: "numeric" } : {}),
  });
  return (
    <span
      className={cn("text-xs", overdue ? "font-medium text-red-600" : "text-zinc-500")}
      title={overdue ? `Overdue: due ${date}` : `Due ${date}`}
    >
      {label}
    </span>
  );
}

export function AssigneeAvatar({ user, size = 20 }: { user: UserSummary | null; size?: number }) {
  if (!user)
    return (
      <span
        className="inline-block rounded-full border border-dashed border-zinc-300"
        style={{ width: size, height: size }}
        title="Unassigned"
        role="img"
        aria-label="Unassigned"
      />
    );
  return <Avatar name={user.name ?? user.email} size={size} />;
}

export function TaskLink({
  slug,
  taskRef,
  className,
  children,
}: {
  slug: string;
  taskRef: string;
  className?: string;
  children?: React.ReactNode;
}) {
  return (
    <Link href={`/w/${slug}/tasks/${taskRef}`} className={cn("hover:underline", className)}>
      {children ?? taskRef}
    </Link>
  );
}
