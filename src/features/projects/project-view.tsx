"use client";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { ErrorState, LoadingState } from "@/components/ui/states";
import { cn } from "@/components/ui/cn";
import { useTRPC } from "@/trpc/client";
import { errorCodeOf, messageOf } from "@/trpc/errors";
import { useWorkspace } from "@/features/workspace/workspace-context";
import { PageHeader } from "@/features/workspace/app-shell";
import { ReadOnlyNotice } from "@/features/workspace/read-only-notice";
import { Board } from "@/features/tasks/board";
import { TaskList } from "@/features/tasks/task-list";
import { NewTaskDialog } from "@/features/tasks/new-task-dialog";
import type { TaskStatus } from "@/shared/tracker";

export function ProjectView({ projectKey }: { projectKey: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const { slug, can } = useWorkspace();
  const view = params.get("view") === "list" ? "list" : "board";
  const [chosenStatus, setNewTask] = useState<TaskStatus | null>(null);
  // ?new=1 (from the command palette) opens the dialog, also when already on this page.
  const newTask = chosenStatus ?? (params.get("new") ? "TODO" : null);
  const project = useQuery(trpc.project.byKey.queryOptions({ workspaceSlug: slug, key: projectKey }));

  if (project.isPending) return <LoadingState />;
  if (project.isError) {
    return errorCodeOf(project.error) === "NOT_FOUND" ? (
      <ErrorState title="Project not found" message={`There is no project ${projectKey} in this workspace.`} />
    ) : (
      <ErrorState message={messageOf(project.error)} onRetry={() => void project.refetch()} />
    );
  }
  const p = project.data;
  const tab = (v: "board" | "list", label: string) => (
    <Link
      href={v === "board" ? pathname : `${pathname}?view=list`}
      aria-current={view === v ? "page" : undefined}
      className={cn(
        "rounded-md px-2.5 py-1 text-sm",
        view === v ? "bg-zinc-200 font-medium" : "text-zinc-600 hover:bg-zinc-100",
      )}
    >
      {label}
    </Link>
  );
  return (
    <div className="flex h-full flex-col">
      <PageHeader
        title={
          <span>
            <span className="mr-2 font-mono text-sm text-zinc-500">{p.key}</span>
            {p.name} {p.archivedAt ? <span className="ml-2 text-xs font-normal text-amber-700">archived</span> : null}
          </span>
        }
      >
        {!can("task.update") ? <ReadOnlyNotice what="tasks" /> : null}
        <nav className="flex gap-1" aria-label="View">
          {tab("board", "Board")}
          {tab("list", "List")}
        </nav>
        {can("task.create") && !p.archivedAt ? (
          <Button size="sm" onClick={() => setNewTask("TODO")}>
            New task
          </Button>
        ) : null}
      </PageHeader>
      <div className="min-h-0 flex-1">
        {view === "board" ? (
          <Board project={p} onNewTask={setNewTask} />
        ) : (
          <TaskList baseFilter={{ projectId: p.id }} />
        )}
      </div>
      <NewTaskDialog
        open={newTask !== null}
        status={newTask ?? "TODO"}
        projectId={p.id}
        projectName={p.name}
        onClose={() => {
          setNewTask(null);
          if (params.get("new")) router.replace(pathname + (view === "list" ? "?view=list" : ""));
        }}
      />
    </div>
  );
}
