/**
 * Full-text search over tasks and their comments (GIN-indexed tsvectors),
 * always inside one workspace. Raw SQL because Prisma cannot express tsquery.
 *
 * Two bounded strategies (docs/decisions/0010-search.md):
 * - recent: rank matches among the most recently updated tasks and newest comments
 *   (an index-ordered window, so a word matching 25% of a million tasks costs the same
 *   as a rare one);
 * - wide: the whole workspace through the GIN indexes, for words too rare to fill a
 *   page from the recent window (few matches, so the index path is cheap).
 */
import type { DbTx } from "./client";
import { Prisma } from "./generated/client";

/**
 * The characters every search vector turns into spaces before PostgreSQL's parser sees the
 * text (migration 20261202130000_search_text_not_markup), so `<b>`, `&amp;`, `a.b` or `x@y`
 * are words, not markup, entities, hosts or emails: all of ASCII punctuation, where the query
 * side (searchWords) splits too. Tests check both sides against this list.
 */
export const DOCUMENT_SEPARATORS = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

/**
 * Each word as a prefix, stemmed or not; all words required. Words are letters/digits/marks only.
 * lanes_word_query (migration 20261206120000_search_word_terms) writes a word's two forms as one
 * prefix term when one covers the other, which halves the GIN index's work for common words.
 */
export function tsqueryFor(words: string[]): Prisma.Sql {
  const terms = words.map((w) => Prisma.sql`lanes_word_query(${w})`);
  return Prisma.sql`(${Prisma.join(terms, " && ")})`;
}

export type SearchRow = { taskId: string; rank: number; source: "task" | "comment" };

/** Best hit per live task, highest rank first. */
function rankedHits(hits: Prisma.Sql, limit: number): Prisma.Sql {
  return Prisma.sql`
    SELECT h."taskId", max(h.rank)::float8 AS rank, (array_agg(h.source ORDER BY h.rank DESC))[1] AS source
    FROM (${hits}) h JOIN "Task" t ON t.id = h."taskId" AND t."deletedAt" IS NULL
    GROUP BY h."taskId", t."updatedAt"
    ORDER BY rank DESC, t."updatedAt" DESC
    LIMIT ${limit}`;
}

export function searchRecent(
  db: DbTx,
  workspaceId: string,
  words: string[],
  window: number,
  limit: number,
): Promise<SearchRow[]> {
  const q = tsqueryFor(words);
  return db.$queryRaw<SearchRow[]>(
    rankedHits(
      Prisma.sql`
        SELECT r.id AS "taskId", ts_rank(r."searchVector", ${q}) AS rank, 'task' AS source
        FROM (SELECT id, "searchVector" FROM "Task" WHERE "workspaceId" = ${workspaceId} AND "deletedAt" IS NULL ORDER BY "updatedAt" DESC LIMIT ${window}) r
        WHERE r."searchVector" @@ ${q}
        UNION ALL
        SELECT c."taskId", ts_rank(c."searchVector", ${q}) * 0.7, 'comment'
        FROM (SELECT "taskId", "searchVector" FROM "Comment" WHERE "workspaceId" = ${workspaceId} AND "deletedAt" IS NULL ORDER BY "createdAt" DESC LIMIT ${window}) c
        WHERE c."searchVector" @@ ${q}`,
      limit,
    ),
  );
}

export function searchWide(
  db: DbTx,
  workspaceId: string,
  words: string[],
  candidates: number,
  limit: number,
): Promise<SearchRow[]> {
  const q = tsqueryFor(words);
  // MATERIALIZED: planned for every match, so through the GIN index. With the LIMIT in the same
  // query, a word the statistics have never seen is guessed at 1 % of rows and the planner walks the
  // table hoping to stop early — over the whole table when the word is absent (0.7 s at 1M tasks).
  return db.$queryRaw<SearchRow[]>(
    rankedHits(
      Prisma.sql`
        WITH tm AS MATERIALIZED (
               SELECT id, "searchVector" FROM "Task"
                WHERE "workspaceId" = ${workspaceId} AND "deletedAt" IS NULL AND "searchVector" @@ ${q}),
             cm AS MATERIALIZED (
               SELECT "taskId", "searchVector" FROM "Comment"
                WHERE "workspaceId" = ${workspaceId} AND "deletedAt" IS NULL AND "searchVector" @@ ${q})
        SELECT m.id AS "taskId", ts_rank(m."searchVector", ${q}) AS rank, 'task' AS source
        FROM (SELECT * FROM tm LIMIT ${candidates}) m
        UNION ALL
        SELECT m."taskId", ts_rank(m."searchVector", ${q}) * 0.7, 'comment'
        FROM (SELECT * FROM cm LIMIT ${candidates}) m`,
      limit,
    ),
  );
}
