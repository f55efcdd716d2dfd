/**
 * Search as you type: any string is a valid query. Words are reduced to letters
 * and digits before they reach SQL, so punctuation, quotes or tsquery operators
 * a person types can never produce a syntax error.
 */
import { runOn, searchQuery, searchRecent, searchWide, type SearchRow } from "@/server/db/search";
import { findTaskByRef, listTasks as listTaskRows } from "@/server/db/tasks";
import { tasksByIdsQuery } from "@/server/db/task-query";
import { formatTaskRef, parseTaskRef } from "@/shared/tracker";
import type { SearchHit } from "@/shared/schemas/search";
import type { WorkspaceContext } from "./context";
import { searchWords } from "@/shared/search-words";

export { searchWords };

/** Most recent tasks (and comments) ranked first; enough for any common word to fill a page (decision 0052). */
const RECENT_WINDOW = 5_000;
/** Matches ranked by the whole-workspace pass (reached only by words too rare for the window). */
const WIDE_CANDIDATES = 2_000;

/** Recent window first; the whole workspace only when the window cannot fill the page. */
async function rankedMatches(ctx: WorkspaceContext, words: string[], limit: number): Promise<SearchRow[]> {
  const q = await searchQuery(runOn(ctx.db), ctx.workspace.id, words);
  if (!q) return []; // a word no task or comment contains
  const recent = await searchRecent(ctx.db, ctx.workspace.id, q, RECENT_WINDOW, limit);
  if (recent.length >= limit) return recent;
  const wide = await searchWide(ctx.db, ctx.workspace.id, q, WIDE_CANDIDATES, limit);
  const best = new Map<string, SearchRow>();
  for (const row of [...recent, ...wide]) {
    const seen = best.get(row.taskId);
    if (!seen || row.rank > seen.rank) best.set(row.taskId, row);
  }
  return [...best.values()].sort((a, b) => b.rank - a.rank).slice(0, limit);
}

type HitTask = {
  id: string;
  number: number;
  title: string;
  status: SearchHit["status"];
  priority: SearchHit["priority"];
  project: { key: string };
};

function toHit(task: HitTask, matchedIn: SearchHit["matchedIn"]): SearchHit {
  const { id, title, status, priority } = task;
  return {
    id,
    ref: formatTaskRef(task.project.key, task.number),
    title,
    status,
    priority,
    projectKey: task.project.key,
    matchedIn,
  };
}

export async function searchTasks(
  ctx: WorkspaceContext,
  input: { q: string; limit: number },
): Promise<{ hits: SearchHit[] }> {
  const hits: SearchHit[] = [];
  const ref = parseTaskRef(input.q);
  if (ref) {
    const task = await findTaskByRef(ctx.db, ctx.workspace.id, ref.key, ref.number);
    if (task) hits.push(toHit(task, "ref"));
  }
  const words = searchWords(input.q);
  if (words.length === 0) return { hits };
  const ranked = await rankedMatches(ctx, words, input.limit);
  const ids = ranked.map((r) => r.taskId).filter((id) => id !== hits[0]?.id);
  if (ids.length === 0) return { hits };
  const rows = await listTaskRows(ctx.db, tasksByIdsQuery(ctx.workspace.id, ids));
  const byId = new Map(rows.map((r) => [r.id, r]));
  for (const r of ranked) {
    const task = byId.get(r.taskId);
    if (!task) continue;
    hits.push(toHit(task, r.source));
  }
  return { hits: hits.slice(0, input.limit) };
}
