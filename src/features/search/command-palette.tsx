"use client";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Command } from "cmdk";
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { useTRPC } from "@/trpc/client";
import { messageOf } from "@/trpc/errors";
import { useWorkspace } from "@/features/workspace/workspace-context";
import { STATUS_LABEL } from "@/shared/tracker";
import { searchWords } from "@/shared/search-words";
import { useDebounced } from "./use-debounced";

const itemClass =
  "flex cursor-pointer items-center gap-2 rounded-md px-2 py-1.5 text-sm aria-selected:bg-brand-50 aria-selected:text-brand-700";

/** Ctrl/Cmd-K: search tasks as you type, jump anywhere, start a task. */
export function CommandPalette() {
  const trpc = useTRPC();
  const router = useRouter();
  const { slug, can } = useWorkspace();
  const [open, setOpen] = useState(false);
  const [query, setQuery] = useState("");
  const [selection, setSelection] = useState<{ results: string; value: string } | null>(null);
  const q = useDebounced(query.trim(), 150);
  const projects = useQuery({ ...trpc.project.list.queryOptions({ workspaceSlug: slug }), enabled: open });
  const search = useQuery({
    ...trpc.search.tasks.queryOptions({ workspaceSlug: slug, q, limit: 12 }),
    enabled: open && q.length > 0,
    placeholderData: keepPreviousData,
  });

  // Enter opens the best hit: a new result set starts with its first item selected;
  // arrow keys move the selection within that result set.
  const firstHit = q ? search.data?.hits[0]?.id : undefined;
  const results = `${q}|${firstHit ?? ""}`;
  const selected = selection?.results === results ? selection.value : (firstHit ?? (q ? "" : "my-tasks"));

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.metaKey || e.ctrlKey) && e.key.toLowerCase() === "k") {
        e.preventDefault();
        setOpen((o) => !o);
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  const go = (href: string) => {
    setOpen(false);
    setQuery("");
    router.push(href);
  };

  return (
    <>
      <button
        type="button"
        onClick={() => setOpen(true)}
        className="mt-2 flex w-full items-center justify-between rounded-md border border-zinc-200 bg-white px-2 py-1.5 text-left text-sm text-zinc-500 hover:border-zinc-300"
      >
        Search… <kbd className="rounded border border-zinc-200 px-1 font-mono text-[10px]">Ctrl K</kbd>
      </button>
      <Command.Dialog
        open={open}
        onOpenChange={setOpen}
        label="Command palette"
        shouldFilter={false}
        value={selected}
        onValueChange={(value) => setSelection({ results, value })}
        overlayClassName="fixed inset-0 z-40 bg-zinc-900/20"
        contentClassName="fixed left-1/2 top-[15vh] z-50 w-[min(640px,92vw)] -translate-x-1/2 overflow-hidden rounded-xl border border-zinc-200 bg-white shadow-2xl"
      >
        <Command.Input
          value={query}
          onValueChange={setQuery}
          placeholder="Search tasks, or type a command…"
          className="w-full border-b border-zinc-200 px-4 py-3 text-sm outline-none"
        />
        <Command.List className="max-h-[50vh] overflow-y-auto p-2">
          {search.isFetching && !search.data ? <Command.Loading>Searching…</Command.Loading> : null}
          {search.isError ? <p className="px-2 py-1.5 text-sm text-red-600">{messageOf(search.error)}</p> : null}
          {q && search.data?.hits.length === 0 ? <Command.Empty>No tasks match “{q}”.</Command.Empty> : null}
          {q && search.data?.hits.length ? (
            <Command.Group heading="Tasks" className="text-xs text-zinc-500">
              {search.data.hits.map((hit) => (
                <Command.Item
                  key={hit.id}
                  value={hit.id}
                  onSelect={() => go(`/w/${slug}/tasks/${hit.ref}`)}
                  className={itemClass}
                  data-testid="search-hit"
                >
                  <span className="w-16 shrink-0 font-mono text-xs text-zinc-500">{hit.ref}</span>
                  <span className="flex-1 truncate text-zinc-900">{hit.title}</span>
                  <span className="text-xs text-zinc-500">
                    {hit.matchedIn === "comment" ? "in a comment · " : ""}
                    {STATUS_LABEL[hit.status]}
                  </span>
                </Command.Item>
              ))}
            </Command.Group>
          ) : null}
          {q && searchWords(q).length ? (
            // The palette shows the best few; every match is on the search page, most relevant first.
            <Command.Item
              value="see-all"
              onSelect={() => go(`/w/${slug}/search?q=${encodeURIComponent(q)}`)}
              className={itemClass}
              data-testid="search-see-all"
            >
              See all results for “{q}”
            </Command.Item>
          ) : null}
          {!q ? (
            <>
              <Command.Group heading="Go to" className="text-xs text-zinc-500">
                <Command.Item value="my-tasks" onSelect={() => go(`/w/${slug}/my-tasks`)} className={itemClass}>
                  My tasks
                </Command.Item>
                <Command.Item value="activity" onSelect={() => go(`/w/${slug}/activity`)} className={itemClass}>
                  Activity
                </Command.Item>
                <Command.Item value="members" onSelect={() => go(`/w/${slug}/members`)} className={itemClass}>
                  Members
                </Command.Item>
                {projects.data?.map((p) => (
                  <Command.Item
                    key={p.id}
                    value={`project-${p.key}`}
                    onSelect={() => go(`/w/${slug}/projects/${p.key}`)}
                    className={itemClass}
                  >
                    <span className="w-16 font-mono text-xs text-zinc-500">{p.key}</span> {p.name}
                  </Command.Item>
                ))}
              </Command.Group>
              {can("task.create") && projects.data?.length ? (
                <Command.Group heading="Create" className="text-xs text-zinc-500">
                  {projects.data.map((p) => (
                    <Command.Item
                      key={p.id}
                      value={`new-${p.key}`}
                      onSelect={() => go(`/w/${slug}/projects/${p.key}?new=1`)}
                      className={itemClass}
                    >
                      New task in {p.name}
                    </Command.Item>
                  ))}
                </Command.Group>
              ) : null}
            </>
          ) : null}
        </Command.List>
      </Command.Dialog>
    </>
  );
}
