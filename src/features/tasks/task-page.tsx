"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Input, Textarea } from "@/components/ui/field";
import { ErrorState, LoadingState } from "@/components/ui/states";
import { useTRPC, useTRPCClient } from "@/trpc/client";
import { describeFieldErrors, detailsOf, errorCodeOf, fieldErrorsOf, fieldMessages, messageOf } from "@/trpc/errors";
import { useWorkspace } from "@/features/workspace/workspace-context";
import { PageHeader } from "@/features/workspace/app-shell";
import { ReadOnlyNotice } from "@/features/workspace/read-only-notice";
import { CLOSED_STATUSES, PRIORITY_LABEL, STATUS_LABEL } from "@/shared/tracker";
import { Markdown } from "@/features/markdown/markdown";
import type { TaskDetailDto, TaskPatch } from "@/shared/schemas/task";
import { AssigneeSelect, LabelPicker, PrioritySelect, StatusSelect } from "./task-fields";
import { AssigneeAvatar, DueDate, LabelChip, PriorityIcon, StatusIcon } from "./task-bits";
import { useInvalidateTasks } from "./use-task-lists";
import { Comments } from "./comments";
import { TaskHistory } from "./task-history";
import { TaskViewers } from "./task-viewers";

type Conflict = { attempted: TaskPatch; theirs: TaskDetailDto };

/** How a save ended: saved, refused for a conflict (the banner takes over), or refused (the error is shown). */
type SaveOutcome = "saved" | "conflict" | "refused";

/** Fields whose errors the page shows next to them; anything else goes to a toast. */
const INLINE_FIELDS = ["title", "description"];
const shownInline = (error: unknown) => {
  const paths = Object.keys(fieldErrorsOf(error));
  return paths.length > 0 && paths.every((path) => INLINE_FIELDS.some((f) => path === f || path.endsWith(`.${f}`)));
};

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
      client.task.update.mutate({
        workspaceSlug: slug,
        taskId: task.id,
        version: version ?? (queryClient.getQueryData(key) ?? task).version,
        patch,
      }),
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
      } else if (!shownInline(error)) {
        toast.error(messageOf(error));
      }
    },
  });
  /** Resolves once the server answered; a refused edit's error is on screen by then. */
  const save = (patch: TaskPatch, base?: TaskDetailDto): Promise<SaveOutcome> =>
    mutation.mutateAsync({ patch, version: base?.version }).then(
      () => "saved" as const,
      (error: unknown) =>
        errorCodeOf(error) === "CONFLICT" && detailsOf(error)?.current ? ("conflict" as const) : ("refused" as const),
    );
  return {
    save,
    conflict,
    dismissConflict: () => setConflict(null),
    pending: mutation.isPending,
    error: mutation.error,
  };
}

function ConflictBanner({
  conflict,
  onReapply,
  onDismiss,
}: {
  conflict: Conflict;
  onReapply: () => void;
  onDismiss: () => void;
}) {
  const fields = Object.keys(conflict.attempted).join(", ");
  return (
    <div
      role="alert"
      data-testid="conflict-banner"
      className="mb-4 rounded-lg border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900"
    >
      <p className="font-medium">Someone else changed this task while you were editing.</p>
      <p className="mt-1">
        The page now shows their version (version {conflict.theirs.version}). Your change to <strong>{fields}</strong>{" "}
        was not saved.
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

/**
 * The title saves when the field is left (or on Enter). An empty title is not
 * sent: the saved one comes back, and the page says why. A refused save keeps
 * what the person typed, with the reason under it; after a conflict the banner
 * holds their change instead (the field shows the newer title).
 */
function TitleEditor({
  task,
  editable,
  errors,
  onSave,
}: {
  task: TaskDetailDto;
  editable: boolean;
  errors: string[] | undefined;
  onSave: (title: string) => Promise<SaveOutcome>;
}) {
  const [draft, setDraft] = useState<string | null>(null);
  const [reverted, setReverted] = useState(false);
  const [failed, setFailed] = useState(false);
  const noteId = useId();
  if (!editable) return <h1 className="text-xl font-semibold">{task.title}</h1>;
  const commit = () => {
    if (draft === null) return;
    const next = draft.trim();
    if (!next) {
      setDraft(null);
      setReverted(true);
      return;
    }
    if (next === task.title) return setDraft(null);
    void onSave(next).then((outcome) => {
      setFailed(outcome === "refused");
      if (outcome !== "refused") setDraft(null);
    });
  };
  const shownErrors = failed && draft !== null ? errors : undefined;
  return (
    <div>
      <Input
        aria-label="Title"
        data-testid="task-title"
        value={draft ?? task.title}
        aria-invalid={shownErrors ? true : undefined}
        aria-describedby={shownErrors || reverted ? noteId : undefined}
        onChange={(e) => {
          setDraft(e.target.value);
          setReverted(false);
        }}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === "Enter") e.currentTarget.blur();
          if (e.key === "Escape") {
            setDraft(null);
            setFailed(false);
          }
        }}
        className="h-auto border-transparent px-1 py-1 text-xl font-semibold shadow-none hover:border-zinc-200"
      />
      {shownErrors ? (
        <p id={noteId} role="alert" className="px-1 text-xs text-red-700" data-testid="title-error">
          Not saved: {describeFieldErrors({ title: shownErrors })}. Your text is still here; fix it, or press Escape to
          undo.
        </p>
      ) : reverted ? (
        <p id={noteId} role="status" className="px-1 text-xs text-zinc-600" data-testid="title-reverted">
          A title is required, so the previous title was kept.
        </p>
      ) : null}
    </div>
  );
}

function DescriptionEditor({
  task,
  editable,
  errors,
  onSave,
  saving,
}: {
  task: TaskDetailDto;
  editable: boolean;
  errors: string[] | undefined;
  onSave: (description: string) => Promise<SaveOutcome>;
  saving: boolean;
}) {
  const [draft, setDraft] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);
  const errorId = useId();
  if (draft !== null) {
    const shownErrors = failed ? errors : undefined;
    return (
      <div className="space-y-2">
        <Textarea
          aria-label="Description"
          rows={10}
          value={draft}
          readOnly={!editable}
          aria-invalid={shownErrors ? true : undefined}
          aria-describedby={shownErrors || !editable ? errorId : undefined}
          onChange={(e) => setDraft(e.target.value)}
          autoFocus
        />
        {!editable ? (
          <p id={errorId} role="status" className="text-xs text-zinc-700">
            You can no longer edit this task, so your text was not saved. Copy it if you need it.
          </p>
        ) : shownErrors ? (
          <p id={errorId} role="alert" className="text-xs text-red-700">
            Not saved: {describeFieldErrors({ description: shownErrors })}
          </p>
        ) : null}
        <div className="flex gap-2">
          {editable ? (
            <Button
              size="sm"
              loading={saving}
              onClick={() => {
                // The draft stays open until the save lands, so a refused save loses nothing.
                void onSave(draft).then((outcome) => {
                  setFailed(outcome === "refused");
                  if (outcome === "saved") setDraft(null);
                });
              }}
            >
              Save
            </Button>
          ) : null}
          <Button size="sm" variant="secondary" onClick={() => setDraft(null)}>
            {editable ? "Cancel" : "Discard"}
          </Button>
        </div>
      </div>
    );
  }
  return (
    <div className="group relative">
      {task.description ? (
        <Markdown>{task.description}</Markdown>
      ) : (
        <p className="text-sm text-zinc-500">No description.</p>
      )}
      {editable ? (
        <Button size="sm" variant="ghost" className="mt-1" onClick={() => setDraft(task.description)}>
          Edit description
        </Button>
      ) : null}
    </div>
  );
}

/** Saves when a complete date is chosen or the field is left, not on every keystroke. */
function DueDateInput({
  value,
  disabled,
  onSave,
}: {
  value: string | null;
  disabled: boolean;
  onSave: (date: string | null) => Promise<SaveOutcome>;
}) {
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

/** A viewer's fields: the values as text, not controls they cannot use. */
function ReadOnlyFields({ task }: { task: TaskDetailDto }) {
  const row = (label: string, value: React.ReactNode) => (
    <div className="grid grid-cols-[88px_1fr] items-center gap-2">
      <dt className="text-xs text-zinc-600">{label}</dt>
      <dd className="flex min-h-8 min-w-0 items-center gap-1.5 text-zinc-900">{value}</dd>
    </div>
  );
  return (
    <dl className="space-y-3" data-testid="read-only-fields">
      {row(
        "Status",
        <>
          <StatusIcon status={task.status} /> {STATUS_LABEL[task.status]}
        </>,
      )}
      {row(
        "Priority",
        <>
          <PriorityIcon priority={task.priority} /> {PRIORITY_LABEL[task.priority]}
        </>,
      )}
      {row(
        "Assignee",
        task.assignee ? (
          <>
            <AssigneeAvatar user={task.assignee} />{" "}
            <span className="truncate">{task.assignee.name ?? task.assignee.email}</span>
          </>
        ) : (
          <span className="text-zinc-600">Unassigned</span>
        ),
      )}
      {row(
        "Due date",
        task.dueDate ? (
          <DueDate date={task.dueDate} closed={CLOSED_STATUSES.includes(task.status)} long />
        ) : (
          <span className="text-zinc-600">None</span>
        ),
      )}
      <div className="space-y-1.5">
        <dt className="text-xs text-zinc-600">Labels</dt>
        <dd className="flex flex-wrap gap-1.5">
          {task.labels.length ? (
            task.labels.map((l) => <LabelChip key={l.id} name={l.name} color={l.color} />)
          ) : (
            <span className="text-zinc-600">None</span>
          )}
        </dd>
      </div>
    </dl>
  );
}

function Sidebar({
  task,
  editable,
  onSave,
}: {
  task: TaskDetailDto;
  editable: boolean;
  onSave: (patch: TaskPatch) => Promise<SaveOutcome>;
}) {
  const labelIds = task.labels.map((l) => l.id);
  const row = (label: string, control: React.ReactNode) => (
    <div className="grid grid-cols-[88px_1fr] items-center gap-2">
      <span className="text-xs text-zinc-600">{label}</span>
      {control}
    </div>
  );
  return (
    <aside className="space-y-3 text-sm" aria-label="Task fields">
      {editable ? (
        <>
          {row(
            "Status",
            <StatusSelect
              aria-label="Status"
              className="h-8"
              value={task.status}
              onChange={(status) => void onSave({ status })}
            />,
          )}
          {row(
            "Priority",
            <PrioritySelect
              aria-label="Priority"
              className="h-8"
              value={task.priority}
              onChange={(priority) => void onSave({ priority })}
            />,
          )}
          {row(
            "Assignee",
            <AssigneeSelect
              aria-label="Assignee"
              className="h-8"
              value={task.assignee?.id ?? null}
              onChange={(assigneeId) => void onSave({ assigneeId })}
            />,
          )}
          {row(
            "Due date",
            <DueDateInput value={task.dueDate} disabled={false} onSave={(dueDate) => onSave({ dueDate })} />,
          )}
          <div className="space-y-1.5">
            <span className="text-xs text-zinc-600">Labels</span>
            <LabelPicker value={labelIds} onChange={(ids) => void onSave({ labelIds: ids })} />
          </div>
        </>
      ) : (
        <ReadOnlyFields task={task} />
      )}
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
        <TaskViewers taskId={task.id} />
        {!editable ? <ReadOnlyNotice what="tasks" /> : null}
        {can("task.delete") ? (
          <Button
            size="sm"
            variant="ghost"
            loading={remove.isPending}
            onClick={() => {
              if (confirm(`Delete ${task.ref}? It disappears from every view; its history is kept.`))
                remove.mutate({ workspaceSlug: slug, taskId: task.id });
            }}
          >
            Delete
          </Button>
        ) : null}
      </PageHeader>
      <div className="mx-auto grid max-w-6xl gap-8 p-6 lg:grid-cols-[1fr_260px]">
        <main className="min-w-0 space-y-6">
          {conflict ? (
            <ConflictBanner
              conflict={conflict}
              onDismiss={dismissConflict}
              onReapply={() => void save(conflict.attempted, conflict.theirs)}
            />
          ) : null}
          <TitleEditor
            task={task}
            editable={editable}
            errors={fieldMessages(error, "title")}
            onSave={(title) => save({ title })}
          />
          <section aria-label="Description">
            <DescriptionEditor
              task={task}
              editable={editable}
              errors={fieldMessages(error, "description")}
              saving={pending}
              onSave={(description) => save({ description })}
            />
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
    return errorCodeOf(task.error) === "NOT_FOUND" ? (
      <ErrorState title="Task not found" message={`${taskRef} does not exist in this workspace, or it was deleted.`} />
    ) : (
      <ErrorState message={messageOf(task.error)} onRetry={() => void task.refetch()} />
    );
  }
  return <TaskBody task={task.data} />;
}
