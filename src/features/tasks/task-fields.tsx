"use client";
/** Pickers for task fields, shared by the new-task form and the task page. */
import { useQuery } from "@tanstack/react-query";
import { Select } from "@/components/ui/field";
import { useTRPC } from "@/trpc/client";
import { useWorkspace } from "@/features/workspace/workspace-context";
import {
  PRIORITY_LABEL,
  STATUS_LABEL,
  TASK_PRIORITIES,
  TASK_STATUSES,
  type TaskPriority,
  type TaskStatus,
} from "@/shared/tracker";
import { cn } from "@/components/ui/cn";

type A11y = {
  id?: string;
  "aria-invalid"?: boolean;
  "aria-describedby"?: string;
  "aria-label"?: string;
  disabled?: boolean;
  className?: string;
};

export function StatusSelect({
  value,
  onChange,
  ...rest
}: A11y & { value: TaskStatus; onChange: (s: TaskStatus) => void }) {
  return (
    <Select {...rest} value={value} onChange={(e) => onChange(e.target.value as TaskStatus)}>
      {TASK_STATUSES.map((s) => (
        <option key={s} value={s}>
          {STATUS_LABEL[s]}
        </option>
      ))}
    </Select>
  );
}

export function PrioritySelect({
  value,
  onChange,
  ...rest
}: A11y & { value: TaskPriority; onChange: (p: TaskPriority) => void }) {
  return (
    <Select {...rest} value={value} onChange={(e) => onChange(e.target.value as TaskPriority)}>
      {TASK_PRIORITIES.map((p) => (
        <option key={p} value={p}>
          {PRIORITY_LABEL[p]}
        </option>
      ))}
    </Select>
  );
}

export function AssigneeSelect({
  value,
  onChange,
  ...rest
}: A11y & { value: string | null; onChange: (id: string | null) => void }) {
  const trpc = useTRPC();
  const { slug } = useWorkspace();
  const members = useQuery(trpc.member.list.queryOptions({ workspaceSlug: slug }));
  return (
    <Select {...rest} value={value ?? ""} onChange={(e) => onChange(e.target.value || null)}>
      <option value="">Unassigned</option>
      {members.data?.map((m) => (
        <option key={m.user.id} value={m.user.id}>
          {m.user.name ?? m.user.email}
        </option>
      ))}
    </Select>
  );
}

/**
 * Toggle chips for the workspace's labels. Assigned and available differ in
 * more than colour: solid with a check mark vs dashed outline with a plus, and
 * screen readers hear each chip as a pressed or not pressed toggle button.
 */
export function LabelPicker({
  value,
  onChange,
  disabled,
}: {
  value: string[];
  onChange: (ids: string[]) => void;
  disabled?: boolean;
}) {
  const trpc = useTRPC();
  const { slug } = useWorkspace();
  const labels = useQuery(trpc.label.list.queryOptions({ workspaceSlug: slug }));
  if (labels.data?.length === 0) return <p className="text-xs text-zinc-600">No labels yet (Settings → Labels).</p>;
  return (
    <div className="flex flex-wrap gap-1.5" role="group" aria-label="Labels">
      {labels.data?.map((l) => {
        const on = value.includes(l.id);
        return (
          <button
            key={l.id}
            type="button"
            disabled={disabled}
            aria-pressed={on}
            title={on ? `Remove “${l.name}”` : `Add “${l.name}”`}
            data-testid="label-toggle"
            onClick={() => onChange(on ? value.filter((id) => id !== l.id) : [...value, l.id])}
            className={cn(
              "inline-flex items-center gap-1 rounded-full border px-2 py-0.5 text-xs focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-brand-500 disabled:cursor-not-allowed disabled:opacity-60",
              on
                ? "border-zinc-800 bg-zinc-800 font-medium text-white hover:bg-zinc-700"
                : "border-dashed border-zinc-400 bg-white text-zinc-700 hover:border-solid hover:border-zinc-500",
            )}
          >
            {on ? (
              <svg
                aria-hidden
                viewBox="0 0 16 16"
                className="h-3 w-3"
                fill="none"
                stroke="currentColor"
                strokeWidth="2.5"
                strokeLinecap="round"
                strokeLinejoin="round"
              >
                <path d="M3 8.5l3 3 7-7" />
              </svg>
            ) : (
              <svg
                aria-hidden
                viewBox="0 0 16 16"
                className="h-3 w-3 text-zinc-500"
                fill="none"
                stroke="currentColor"
                strokeWidth="2"
                strokeLinecap="round"
              >
                <path d="M8 3v10M3 8h10" />
              </svg>
            )}
            <span className="h-2 w-2 rounded-full" style={{ background: l.color }} aria-hidden />
            {l.name}
          </button>
        );
      })}
    </div>
  );
}
