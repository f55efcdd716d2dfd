"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Input, Textarea } from "@/components/ui/field";
import { ErrorState, LoadingState } from "@/components/ui/states";
import { useTRPC, useTRPCClient } from "@/trpc/client";
import { detailsOf, errorCodeOf, fieldErrorsOf, messageOf } from "@/trpc/errors";
import { useWorkspace } from "@/features/workspace/workspace-context";
import { PageHeader } from "@/features/workspace/app-shell";
import { Markdown } from "@/features/markdown/markdown";
import type { TaskDetailDto, TaskPatch } from "@/shared/schemas/task";
import { AssigneeSelect, LabelPicker, PrioritySelect, StatusSelect } from "./task-fields";
import { useInvalidateTasks } from "./use-task-lists";
import { Comments } from "./comments";
import { TaskHistory } from "./task-history";

type Conflict = { attempted: TaskPatch; theirs: TaskDetailDto };

/**
 * Saves field edits with the version the page read. If someone else changed
 * the task meanwhile, the server answers CONFLICT with the current task: we show
 * theirs (never silently overwrite) and let the person re-apply their change.
 */
function useTaskUpdate(task: TaskDetailDto) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { slug } = useWorkspace();
  const invalidate = useInvalidateTasks();
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const client = useTRPCClient();
  const key = trpc.task.byRef.queryKey({ workspaceSlug: slug, ref: task.ref });
  const mutation = useMutation({
    // Edits of one task run one after another, each with the version the page shows
    // when it is sent, so quick successive edits never conflict with each other.
    scope: { id: `task-update-${task.id}` },
    mutationFn: ({ patch, version }: { patch: TaskPatch; version?: number }) =>
      client.task.update.mutate({ workspaceSlug: slug, taskId: task.id, version: version ?? (queryClient.getQueryData(key) ?? task).version, patch }),
    onSuccess: async (updated) => {
      queryClient.setQueryData(key, updated);
      setConflict(null);
      await invalidate();
    },
    onError: (error, vars) => {
      const current = detailsOf(error)?.current as TaskDetailDto | undefined;
      if (errorCodeOf(error) === "CONFLICT" && current) {
        queryClient.setQueryData(key, current);
        setConflict({ attempted: vars.patch, theirs: current });
      } else {
        toast.error(messageOf(error));
      }
    },
  });
  /** Resolves true once saved (false if refused: the error is shown). */
  const save = (patch: TaskPatch, base?: TaskDetailDto): Promise<boolean> =>
    mutation.mutateAsync({ patch, version: base?.version }).then(
      () => true,
      () => false,
    );
  return { save, conflict, dismissConflict: () => setConflict(null), pending: mutation.isPending, error: mutation.error };
}

function ConflictBanner({ conflict, onReapply, onDismiss }: { conflict: Conflict; onReapply: () => void; onDismiss: () => void }) {
  const fields = Object.keys(conflict.attempted).join(", ");
  return (
    <div role="alert" data-testid="conflict-banner" className="mb-4 rounded-lg border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900">
      <p className="font-medium">Someone else changed this task while you were editing.</p>
      <p className="mt-1">
        The page now shows their version (version {conflict.theirs.version}). Your change to <strong>{fields}</strong> was not saved.
      </p>
      <div className="mt-2 flex gap-2">
        <Button size="sm" onClick={onReapply}>
          Apply my change on top
        </Button>
        <Button size="sm" variant="secondary" onClick={onDismiss}>
          Keep theirs
        </Button>
      </div>
    </div>
  );
}

function TitleEditor({ task, editable, onSave }: { task: TaskDetailDto; editable: boolean; onSave: (title: string) => void }) {
  const [draft, setDraft] = useState<string | null>(null);
  if (!editable) return <h1 className="text-xl font-semibold">{task.title}</h1>;
  const commit = () => {
    if (draft !== null && draft.trim() && draft.trim() !== task.title) onSave(draft.trim());
    setDraft(null);
  };
  return (
    <Input
      aria-label="Title"
      data-testid="task-title"
      value={draft ?? task.title}
      onChange={(e) => setDraft(e.target.value)}
      onBlur={commit}
      onKeyDown={(e) => {
        if (e.key === "Enter") e.currentTarget.blur();
        if (e.key === "Escape") setDraft(null);
      }}
      className="h-auto border-transparent px-1 py-1 text-xl font-semibold shadow-none hover:border-zinc-200"
    />
  );
}

function DescriptionEditor({ task, editable, onSave, saving }: { task: TaskDetailDto; editable: boolean; onSave: (description: string) => Promise<boolean>; saving: boolean }) {
  const [draft, setDraft] = useState<string | null>(null);
  if (draft !== null) {
    return (
      <div className="space-y-2">
        <Textarea aria-label="Description" rows={10} value={draft} onChange={(e) => setDraft(e.target.value)} autoFocus />
        <div className="flex gap-2">
          <Button
            size="sm"
            loading={saving}
            onClick={() => {
              // The draft stays open until the save lands, so a refused save loses nothing.
              void onSave(draft).then((saved) => saved && setDraft(null));
            }}
          >
            Save
          </Button>
          <Button size="sm" variant="secondary" onClick={() => setDraft(null)}>
            Cancel
          </Button>
        </div>
      </div>
    );
  }
  return (
    <div className="group relative">
      {task.description ? <Markdown>{task.description}</Markdown> : <p className="text-sm text-zinc-400">No description.</p>}
      {editable ? (
        <Button size="sm" variant="ghost" className="mt-1" onClick={() => setDraft(task.description)}>
          Edit description
        </Button>
      ) : null}
    </div>
  );
}

/** Saves when a complete date is chosen or the field is left, not on every keystroke. */
function DueDateInput({ value, disabled, onSave }: { value: string | null; disabled: boolean; onSave: (date: string | null) => Promise<boolean> }) {
  const [draft, setDraft] = useState<string | null>(null);
  const commit = (next: string) => {
    setDraft(null);
    if ((next || null) !== value) void onSave(next || null);
  };
  return (
    <Input
      aria-label="Due date"
      type="date"
      className="h-8"
      disabled={disabled}
      value={draft ?? value ?? ""}
      onChange={(e) => setDraft(e.target.value)}
      onBlur={(e) => commit(e.target.value)}
      onKeyDown={(e) => e.key === "Enter" && e.currentTarget.blur()}
    />
  );
}

function Sidebar({ task, editable, onSave }: { task: TaskDetailDto; editable: boolean; onSave: (patch: TaskPatch) => Promise<boolean> }) {
  const labelIds = task.labels.map((l) => l.id);
  const row = (label: string, control: React.ReactNode) => (
    <div className="grid grid-cols-[88px_1fr] items-center gap-2">
      <span className="text-xs text-zinc-500">{label}</span>
      {control}
    </div>
  );
  return (
    <aside className="space-y-3 text-sm" aria-label="Task fields">
      {row("Status", <StatusSelect aria-label="Status" className="h-8" disabled={!editable} value={task.status} onChange={(status) => onSave({ status })} />)}
      {row("Priority", <PrioritySelect aria-label="Priority" className="h-8" disabled={!editable} value={task.priority} onChange={(priority) => onSave({ priority })} />)}
      {row("Assignee", <AssigneeSelect aria-label="Assignee" className="h-8" disabled={!editable} value={task.assignee?.id ?? null} onChange={(assigneeId) => onSave({ assigneeId })} />)}
      {row(
        "Due date",
        <DueDateInput value={task.dueDate} disabled={!editable} onSave={(dueDate) => onSave({ dueDate })} />,
      )}
      <div className="space-y-1.5">
        <span className="text-xs text-zinc-500">Labels</span>
        <LabelPicker disabled={!editable} value={labelIds} onChange={(ids) => onSave({ labelIds: ids })} />
      </div>
      <dl className="space-y-1 border-t border-zinc-100 pt-3 text-xs text-zinc-500">
        <div>
          <dt className="inline">Created by </dt>
          <dd className="inline">{task.creator.name ?? task.creator.email}</dd>
        </div>
        <div>
          <dt className="inline">Created </dt>
          <dd className="inline">{task.createdAt.toLocaleString("en")}</dd>
        </div>
        <div>
          <dt className="inline">Updated </dt>
          <dd className="inline">{task.updatedAt.toLocaleString("en")}</dd>
        </div>
        {task.completedAt ? (
          <div>
            <dt className="inline">Completed </dt>
            <dd className="inline">{task.completedAt.toLocaleString("en")}</dd>
          </div>
        ) : null}
        <div>
          <dt className="inline">Version </dt>
          <dd className="inline" data-testid="task-version">
            {task.version}
          </dd>
        </div>
      </dl>
    </aside>
  );
}

function TaskBody({ task }: { task: TaskDetailDto }) {
  const trpc = useTRPC();
  const router = useRouter();
  const { slug, can } = useWorkspace();
  const invalidate = useInvalidateTasks();
  const { save, conflict, dismissConflict, pending, error } = useTaskUpdate(task);
  const editable = can("task.update");
  const remove = useMutation(
    trpc.task.delete.mutationOptions({
      onSuccess: async () => {
        await invalidate();
        toast.success(`${task.ref} deleted`);
        router.push(`/w/${slug}/projects/${task.projectKey}`);
      },
      onError: (e) => toast.error(messageOf(e)),
    }),
  );
  const fieldErrors = fieldErrorsOf(error);
  return (
    <>
      <PageHeader
        title={
          <span className="text-sm font-normal text-zinc-500">
            <Link href={`/w/${slug}/projects/${task.projectKey}`} className="hover:underline">
              {task.projectName}
            </Link>{" "}
            › <span className="font-mono">{task.ref}</span>
          </span>
        }
      >
        {can("task.delete") ? (
          <Button
            size="sm"
            variant="ghost"
            loading={remove.isPending}
            onClick={() => {
              if (confirm(`Delete ${task.ref}? It disappears from every view; its history is kept.`)) remove.mutate({ workspaceSlug: slug, taskId: task.id });
            }}
          >
            Delete
          </Button>
        ) : null}
      </PageHeader>
      <div className="mx-auto grid max-w-6xl gap-8 p-6 lg:grid-cols-[1fr_260px]">
        <main className="min-w-0 space-y-6">
          {conflict ? <ConflictBanner conflict={conflict} onDismiss={dismissConflict} onReapply={() => void save(conflict.attempted, conflict.theirs)} /> : null}
          <div>
            <TitleEditor task={task} editable={editable} onSave={(title) => void save({ title })} />
            {fieldErrors["patch.title"] ? <p className="text-xs text-red-600">{fieldErrors["patch.title"].join(" ")}</p> : null}
          </div>
          <section aria-label="Description">
            <DescriptionEditor task={task} editable={editable} saving={pending} onSave={(description) => save({ description })} />
          </section>
          <Comments taskId={task.id} />
          <TaskHistory taskId={task.id} />
        </main>
        <Sidebar task={task} editable={editable} onSave={(patch) => save(patch)} />
      </div>
    </>
  );
}

export function TaskPage({ taskRef }: { taskRef: string }) {
  const trpc = useTRPC();
  const { slug } = useWorkspace();
  const task = useQuery(trpc.task.byRef.queryOptions({ workspaceSlug: slug, ref: taskRef }));
  if (task.isPending) return <LoadingState label="Loading task…" />;
  if (task.isError) {
    return errorCodeOf(task.error) === "NOT_FOUND" ? <ErrorState title="Task not found" message={`${taskRef} does not exist in this workspace, or it was deleted.`} /> : <ErrorState message={messageOf(task.error)} onRetry={() => void task.refetch()} />;
  }
  return <TaskBody task={task.data} />;
}
