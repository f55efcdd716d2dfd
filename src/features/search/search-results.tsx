"use client";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback, useState } from "react";
import { PageHeader } from "@/features/workspace/app-shell";
import { TaskList } from "@/features/tasks/task-list";

/**
 * All tasks matching ?q=, most relevant first, with the list's filters and sorts and
 * infinite scrolling to the last match. The query lives in the URL so a search can be
 * linked, reloaded and reached from the command palette.
 */
export function SearchResults() {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const q = params.get("q") ?? "";
  // A query in the URL that this page did not type (the palette, back/forward) starts the list
  // again from it; the page's own typing only follows the URL.
  const [urlQuery, setUrlQuery] = useState(q);
  const [typed, setTyped] = useState(q);
  const [generation, setGeneration] = useState(0);
  if (q !== urlQuery) {
    setUrlQuery(q);
    if (q !== typed) {
      setTyped(q);
      setGeneration((g) => g + 1);
    }
  }

  // Typing replaces the URL (no history entry per pause); an unchanged query leaves it alone.
  const onQueryChange = useCallback(
    (next: string) => {
      if (next === q) return;
      setTyped(next);
      router.replace(next ? `${pathname}?q=${encodeURIComponent(next)}` : pathname, { scroll: false });
    },
    [q, pathname, router],
  );

  return (
    <>
      <PageHeader title={q ? <>Search: “{q}”</> : "Search"} />
      <TaskList
        key={generation}
        baseFilter={{}}
        showProject
        initialQuery={q}
        onQueryChange={onQueryChange}
        initialSort="relevance"
      />
    </>
  );
}
