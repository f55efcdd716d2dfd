"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/field";
import { ErrorState, LoadingState } from "@/components/ui/states";
import { useTRPC } from "@/trpc/client";
import { fieldErrorsOf, messageOf } from "@/trpc/errors";
import { useWorkspace } from "@/features/workspace/workspace-context";
import { LabelChip } from "@/features/tasks/task-bits";

const PALETTE = ["#ef4444", "#f59e0b", "#10b981", "#3b82f6", "#6366f1", "#a855f7", "#ec4899", "#64748b"];

/** Workspace labels: list with usage, create, delete. */
export function LabelsSection() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { slug, can } = useWorkspace();
  const [name, setName] = useState("");
  const [color, setColor] = useState(PALETTE[3]!);
  const labels = useQuery(trpc.label.list.queryOptions({ workspaceSlug: slug }));
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.label.list.pathKey() });
  const create = useMutation(
    trpc.label.create.mutationOptions({
      onSuccess: async () => {
        setName("");
        await refresh();
      },
    }),
  );
  const remove = useMutation(
    trpc.label.delete.mutationOptions({ onSuccess: refresh, onError: (e) => toast.error(messageOf(e)) }),
  );
  const editable = can("label.manage");
  return (
    <section className="space-y-3" aria-labelledby="labels-heading">
      <h2 id="labels-heading" className="text-sm font-semibold">
        Labels
      </h2>
      {labels.isPending ? (
        <LoadingState />
      ) : labels.isError ? (
        <ErrorState message={messageOf(labels.error)} onRetry={() => void labels.refetch()} />
      ) : (
        <ul className="divide-y divide-zinc-100 rounded-lg border border-zinc-200">
          {labels.data.map((l) => (
            <li key={l.id} className="flex items-center justify-between px-3 py-2 text-sm">
              <LabelChip name={l.name} color={l.color} />
              <span className="flex items-center gap-2 text-xs text-zinc-500">
                {l.taskCount} tasks
                {editable ? (
                  <Button
                    size="sm"
                    variant="ghost"
                    onClick={() =>
                      confirm(`Delete label “${l.name}”? It is removed from its tasks.`) &&
                      remove.mutate({ workspaceSlug: slug, labelId: l.id })
                    }
                  >
                    Delete
                  </Button>
                ) : null}
              </span>
            </li>
          ))}
          {labels.data.length === 0 ? <li className="px-3 py-2 text-sm text-zinc-500">No labels yet.</li> : null}
        </ul>
      )}
      {editable ? (
        <form
          className="flex flex-wrap items-start gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            create.mutate({ workspaceSlug: slug, name, color });
          }}
        >
          <div className="flex-1">
            <Field label="New label" errors={fieldErrorsOf(create.error).name}>
              {(a11y) => <Input {...a11y} value={name} placeholder="bug" onChange={(e) => setName(e.target.value)} />}
            </Field>
          </div>
          <div role="radiogroup" aria-label="Color" className="mt-7 flex gap-1">
            {PALETTE.map((c) => (
              <button
                key={c}
                type="button"
                role="radio"
                aria-checked={color === c}
                aria-label={c}
                onClick={() => setColor(c)}
                className="h-6 w-6 rounded-full border-2"
                style={{ background: c, borderColor: color === c ? "#18181b" : "transparent" }}
              />
            ))}
          </div>
          <Button type="submit" className="mt-6" loading={create.isPending}>
            Add label
          </Button>
        </form>
      ) : null}
    </section>
  );
}
