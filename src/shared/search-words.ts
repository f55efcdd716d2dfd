/**
 * A typed query as search words: what search.tasks and task.list's filter.q send to
 * PostgreSQL (each word a prefix, all required). Shared so the client knows whether a
 * query has anything to search for.
 */
const MAX_WORDS = 8;
const MAX_WORD_LENGTH = 64;

/**
 * "Fix the `login`-page!!" → ["fix", "the", "login", "page"]. Letters keep their combining marks
 * (हिन्दी). Everything else separates words, including all ASCII punctuation, which documents are
 * split at too (db/search.ts DOCUMENT_SEPARATORS), so any typed string is a valid query.
 */
export function searchWords(q: string): string[] {
  const words =
    q
      .normalize("NFKC")
      .toLowerCase()
      .match(/[\p{L}\p{M}\p{N}]+/gu) ?? [];
  return [...new Set(words.map((w) => w.slice(0, MAX_WORD_LENGTH)))].slice(0, MAX_WORDS);
}
