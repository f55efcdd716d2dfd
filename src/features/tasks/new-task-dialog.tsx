"use client";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Field, Input, Textarea } from "@/components/ui/field";
import { useTRPC } from "@/trpc/client";
import { fieldErrorsOf } from "@/trpc/errors";
import { useWorkspace } from "@/features/workspace/workspace-context";
import { createTaskInput } from "@/shared/schemas/task";
import { issuesByField } from "@/shared/schemas/issues";
import type { TaskPriority, TaskStatus } from "@/shared/tracker";
import { AssigneeSelect, LabelPicker, PrioritySelect, StatusSelect } from "./task-fields";
import { useInvalidateTasks } from "./use-task-lists";
import { FormError } from "@/components/form-error";

function NewTaskForm({
  projectId,
  initialStatus,
  onDone,
}: {
  projectId: string;
  initialStatus: TaskStatus;
  onDone: () => void;
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const { slug } = useWorkspace();
  const invalidate = useInvalidateTasks();
  // One key per form: a double submit or a retried request creates one task, not two.
  const [idempotencyKey] = useState(() => crypto.randomUUID());
  const [title, setTitle] = useState("");
  const [description, setDescription] = useState("");
  const [status, setStatus] = useState<TaskStatus>(initialStatus);
  const [priority, setPriority] = useState<TaskPriority>("NONE");
  const [assigneeId, setAssigneeId] = useState<string | null>(null);
  const [labelIds, setLabelIds] = useState<string[]>([]);
  const [dueDate, setDueDate] = useState("");
  const [clientErrors, setClientErrors] = useState<Record<string, string[]>>({});
  const create = useMutation(
    trpc.task.create.mutationOptions({
      onSuccess: async (task) => {
        await invalidate();
        toast.success(`Created ${task.ref}`, {
          action: { label: "Open", onClick: () => router.push(`/w/${slug}/tasks/${task.ref}`) },
        });
        onDone();
      },
    }),
  );
  const errors = { ...fieldErrorsOf(create.error), ...clientErrors };

  function submit(event: React.FormEvent) {
    event.preventDefault();
    const parsed = createTaskInput.safeParse({
      workspaceSlug: slug,
      projectId,
      title,
      description,
      status,
      priority,
      assigneeId,
      labelIds,
      dueDate: dueDate || null,
      idempotencyKey,
    });
    if (!parsed.success) return setClientErrors(issuesByField(parsed.error.issues));
    setClientErrors({});
    create.mutate(parsed.data);
  }

  return (
    <form onSubmit={submit} className="space-y-3" noValidate aria-label="New task">
      <Field label="Title" errors={errors.title}>
        {(a11y) => (
          <Input
            {...a11y}
            value={title}
            autoFocus
            placeholder="What needs doing?"
            onChange={(e) => setTitle(e.target.value)}
          />
        )}
      </Field>
      <Field label="Description" errors={errors.description} hint="Markdown supported; @handle mentions a member.">
        {(a11y) => <Textarea {...a11y} rows={5} value={description} onChange={(e) => setDescription(e.target.value)} />}
      </Field>
      <div className="grid grid-cols-2 gap-3 sm:grid-cols-4">
        <Field label="Status" errors={errors.status}>
          {(a11y) => <StatusSelect {...a11y} value={status} onChange={setStatus} />}
        </Field>
        <Field label="Priority" errors={errors.priority}>
          {(a11y) => <PrioritySelect {...a11y} value={priority} onChange={setPriority} />}
        </Field>
        <Field label="Assignee" errors={errors.assigneeId}>
          {(a11y) => <AssigneeSelect {...a11y} value={assigneeId} onChange={setAssigneeId} />}
        </Field>
        <Field label="Due date" errors={errors.dueDate}>
          {(a11y) => <Input {...a11y} type="date" value={dueDate} onChange={(e) => setDueDate(e.target.value)} />}
        </Field>
      </div>
      <div className="space-y-1">
        <p className="text-sm font-medium text-zinc-700">Labels</p>
        <LabelPicker value={labelIds} onChange={setLabelIds} />
        {errors.labelIds ? <p className="text-xs text-red-600">{errors.labelIds.join(" ")}</p> : null}
      </div>
      <FormError error={create.error} />
      <div className="flex justify-end gap-2 pt-2">
        <Button variant="secondary" onClick={onDone}>
          Cancel
        </Button>
        <Button type="submit" loading={create.isPending}>
          Create task
        </Button>
      </div>
    </form>
  );
}

export function NewTaskDialog({
  open,
  onClose,
  projectId,
  projectName,
  status,
}: {
  open: boolean;
  onClose: () => void;
  projectId: string;
  projectName: string;
  status: TaskStatus;
}) {
  return (
    <Dialog open={open} onClose={onClose} title={`New task in ${projectName}`}>
      <NewTaskForm projectId={projectId} initialStatus={status} onDone={onClose} />
    </Dialog>
  );
}
