/**
 * Search as you type: any string is a valid query. Words are reduced to letters
 * and digits before they reach SQL, so punctuation, quotes or tsquery operators
 * a person types can never produce a syntax error.
 */
import { searchTaskIds } from "@/server/db/search";
import { findTaskByRef, listTasks as listTaskRows } from "@/server/db/tasks";
import { live } from "@/server/db/tasks";
import { formatTaskRef, parseTaskRef } from "@/shared/tracker";
import type { SearchHit } from "@/shared/schemas/search";
import type { WorkspaceContext } from "./context";

const MAX_WORDS = 8;
const MAX_WORD_LENGTH = 64;

/** "Fix the `login`-page!!" → ["fix", "the", "login", "page"]. Letters keep their combining marks (हिन्दी). */
export function searchWords(q: string): string[] {
  const words = q.normalize("NFKC").toLowerCase().match(/[\p{L}\p{M}\p{N}]+/gu) ?? [];
  return [...new Set(words.map((w) => w.slice(0, MAX_WORD_LENGTH)))].slice(0, MAX_WORDS);
}

export async function searchTasks(ctx: WorkspaceContext, input: { q: string; limit: number }): Promise<{ hits: SearchHit[] }> {
  const hits: SearchHit[] = [];
  const ref = parseTaskRef(input.q);
  if (ref) {
    const task = await findTaskByRef(ctx.db, ctx.workspace.id, ref.key, ref.number);
    if (task) hits.push({ id: task.id, ref: formatTaskRef(task.project.key, task.number), title: task.title, status: task.status, priority: task.priority, projectKey: task.project.key, matchedIn: "ref" });
  }
  const words = searchWords(input.q);
  if (words.length === 0) return { hits };
  const ranked = await searchTaskIds(ctx.db, ctx.workspace.id, words, input.limit);
  const ids = ranked.map((r) => r.taskId).filter((id) => id !== hits[0]?.id);
  if (ids.length === 0) return { hits };
  const rows = await listTaskRows(ctx.db, { where: { id: { in: ids }, ...live(ctx.workspace.id) }, orderBy: [], take: ids.length });
  const byId = new Map(rows.map((r) => [r.id, r]));
  for (const r of ranked) {
    const task = byId.get(r.taskId);
    if (!task) continue;
    hits.push({ id: task.id, ref: formatTaskRef(task.project.key, task.number), title: task.title, status: task.status, priority: task.priority, projectKey: task.project.key, matchedIn: r.source });
  }
  return { hits: hits.slice(0, input.limit) };
}
