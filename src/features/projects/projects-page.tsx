"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Field, Input, Textarea } from "@/components/ui/field";
import { EmptyState, ErrorState, LoadingState } from "@/components/ui/states";
import { useTRPC } from "@/trpc/client";
import { fieldErrorsOf, messageOf } from "@/trpc/errors";
import { PageHeader } from "@/features/workspace/app-shell";
import { useWorkspace } from "@/features/workspace/workspace-context";
import { createProjectInput, type ProjectDto } from "@/shared/schemas/project";
import { issuesByField } from "@/shared/schemas/issues";
import { FormError } from "@/components/form-error";

function CreateProjectForm({ onDone }: { onDone: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { slug } = useWorkspace();
  const [name, setName] = useState("");
  const [key, setKey] = useState("");
  const [keyEdited, setKeyEdited] = useState(false);
  const [description, setDescription] = useState("");
  const [clientErrors, setClientErrors] = useState<Record<string, string[]>>({});
  const create = useMutation(
    trpc.project.create.mutationOptions({
      onSuccess: async (p) => {
        await queryClient.invalidateQueries({ queryKey: trpc.project.list.pathKey() });
        toast.success(`Project ${p.key} created`);
        onDone();
      },
    }),
  );
  const errors = { ...fieldErrorsOf(create.error), ...clientErrors };
  const suggestKey = (n: string) =>
    n
      .toUpperCase()
      .replace(/[^A-Z0-9 ]/g, "")
      .split(/\s+/)
      .filter(Boolean)
      .map((w, _i, all) => (all.length > 1 ? w[0] : w.slice(0, 4)))
      .join("")
      .slice(0, 6);
  return (
    <form
      className="space-y-3"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        const parsed = createProjectInput.safeParse({ workspaceSlug: slug, name, key, description });
        if (!parsed.success) return setClientErrors(issuesByField(parsed.error.issues));
        setClientErrors({});
        create.mutate(parsed.data);
      }}
    >
      <Field label="Name" errors={errors.name}>
        {(a11y) => (
          <Input
            {...a11y}
            autoFocus
            value={name}
            placeholder="Website"
            onChange={(e) => {
              setName(e.target.value);
              if (!keyEdited) setKey(suggestKey(e.target.value));
            }}
          />
        )}
      </Field>
      <Field label="Key" errors={errors.key} hint={`Tasks will be numbered ${key || "KEY"}-1, ${key || "KEY"}-2, …`}>
        {(a11y) => (
          <Input
            {...a11y}
            value={key}
            placeholder="WEB"
            className="font-mono uppercase"
            onChange={(e) => {
              setKeyEdited(true);
              setKey(e.target.value.toUpperCase());
            }}
          />
        )}
      </Field>
      <Field label="Description" errors={errors.description}>
        {(a11y) => <Textarea {...a11y} rows={3} value={description} onChange={(e) => setDescription(e.target.value)} />}
      </Field>
      <FormError error={create.error} />
      <div className="flex justify-end gap-2">
        <Button variant="secondary" onClick={onDone}>
          Cancel
        </Button>
        <Button type="submit" loading={create.isPending}>
          Create project
        </Button>
      </div>
    </form>
  );
}

function ProjectRow({ project }: { project: ProjectDto }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { slug, can } = useWorkspace();
  const archive = useMutation(
    trpc.project.setArchived.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.project.list.pathKey() }),
      onError: (e) => toast.error(messageOf(e)),
    }),
  );
  const total = project.openCount + project.doneCount;
  const pct = total ? Math.round((project.doneCount / total) * 100) : 0;
  return (
    <li className="flex items-center gap-4 px-4 py-3" data-testid="project-row" data-key={project.key}>
      <span className="w-14 font-mono text-xs text-zinc-500">{project.key}</span>
      <div className="min-w-0 flex-1">
        <Link href={`/w/${slug}/projects/${project.key}`} className="font-medium hover:underline">
          {project.name}
        </Link>
        {project.archivedAt ? <span className="ml-2 text-xs text-amber-700">archived</span> : null}
        {project.description ? <p className="truncate text-xs text-zinc-500">{project.description}</p> : null}
      </div>
      <div className="hidden w-48 sm:block" aria-label={`${project.openCount} open, ${project.doneCount} done`}>
        <div className="h-1.5 rounded-full bg-zinc-100">
          <div className="h-1.5 rounded-full bg-emerald-500" style={{ width: `${pct}%` }} />
        </div>
        <p className="mt-1 text-xs text-zinc-500">
          {project.openCount} open · {project.doneCount} done
        </p>
      </div>
      {can("project.archive") ? (
        <Button
          size="sm"
          variant="ghost"
          loading={archive.isPending}
          onClick={() => archive.mutate({ workspaceSlug: slug, projectId: project.id, archived: !project.archivedAt })}
        >
          {project.archivedAt ? "Unarchive" : "Archive"}
        </Button>
      ) : null}
    </li>
  );
}

export function ProjectsPage() {
  const trpc = useTRPC();
  const { slug, name, can } = useWorkspace();
  const [showArchived, setShowArchived] = useState(false);
  const [creating, setCreating] = useState(false);
  // Active projects under the sidebar's key (one query, prefetched by the layout); archived ones under their own.
  const projects = useQuery(
    trpc.project.list.queryOptions(
      showArchived ? { workspaceSlug: slug, includeArchived: true } : { workspaceSlug: slug },
    ),
  );
  return (
    <>
      <PageHeader title={`${name} · Projects`}>
        <label className="flex items-center gap-1.5 text-xs text-zinc-600">
          <input type="checkbox" checked={showArchived} onChange={(e) => setShowArchived(e.target.checked)} /> Show
          archived
        </label>
        {can("project.create") ? (
          <Button size="sm" onClick={() => setCreating(true)}>
            New project
          </Button>
        ) : null}
      </PageHeader>
      <div className="mx-auto max-w-4xl p-6">
        {projects.isPending ? (
          <LoadingState />
        ) : projects.isError ? (
          <ErrorState message={messageOf(projects.error)} onRetry={() => void projects.refetch()} />
        ) : projects.data.length === 0 ? (
          <EmptyState title="No projects yet">
            {can("project.create") ? "Create one to start adding tasks." : "Ask an admin to create one."}
          </EmptyState>
        ) : (
          <ul className="divide-y divide-zinc-100 rounded-xl border border-zinc-200">
            {projects.data.map((p) => (
              <ProjectRow key={p.id} project={p} />
            ))}
          </ul>
        )}
      </div>
      <Dialog open={creating} onClose={() => setCreating(false)} title="New project">
        <CreateProjectForm onDone={() => setCreating(false)} />
      </Dialog>
    </>
  );
}
