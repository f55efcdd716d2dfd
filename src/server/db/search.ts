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
import { z } from "zod";
import type { DbTx } from "./client";
import { Prisma } from "./generated/client";

/**
 * The characters every search vector turns into spaces before PostgreSQL's parser sees the
 * text (migration 20261202130000_search_text_not_markup), so `<b>`, `&amp;`, `a.b` or `x@y`
 * are words, not markup, entities, hosts or emails: all of ASCII punctuation, where the query
 * side (searchWords) splits too. Tests check both sides against this list.
 */
export const DOCUMENT_SEPARATORS = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

/** Runs one statement: Prisma's $queryRaw in the app, plain `pg` in the benchmark's baseline. */
export type RunSql = (sql: Prisma.Sql) => Promise<unknown[]>;

/** Runs statements on `db` (a client or a transaction). */
export function runOn(db: DbTx): RunSql {
  return (sql) => db.$queryRaw<unknown[]>(sql);
}

/**
 * A word whose prefixes cover more lexemes than this stays a prefix: past it, one GIN partial match
 * costs less than the OR of that many exact terms.
 */
export const MAX_EXPANDED_LEXEMES = 64;

const wordTermsSchema = z.array(z.object({ terms: z.string().nullable() }));

/** A search's tsqueries: what finds the rows, and what ranks them. */
export type SearchQuery = {
  /** Every word required; each word's prefixes, expanded into exact lexemes where the lexicon can. */
  match: Prisma.Sql;
  /**
   * The same words as prefixes (lanes_word_query), for ts_rank on rows `match` found: ranking reads
   * only those rows, and an expansion would rank differently (a word and its other form become two
   * terms, and ts_rank scores every pair) — and drift as the lexicon grows.
   */
  rank: Prisma.Sql;
};

/**
 * The tsqueries a search in `workspaceId` runs with, or null when some word matches nothing there (no
 * statement needed). Every word is required and matches as a prefix, stemmed or not. Where the
 * workspace's search lexicon lists few lexemes for a word's prefixes, the word becomes those exact
 * lexemes OR'ed (lanes_word_terms, migration 20261206190000_search_lexicon): the same matches, and the
 * GIN indexes answer exact terms ~5× faster than a prefix for common words. Otherwise the prefix itself
 * (lanes_word_query, which writes a word's two forms as one prefix when one covers the other). One
 * round trip; the terms reach the search statement as parameters, which PostgreSQL plans as constants
 * (exact estimates). Words are letters/digits/marks only (searchWords).
 */
export async function searchQuery(run: RunSql, workspaceId: string, words: string[]): Promise<SearchQuery | null> {
  const rows = wordTermsSchema.parse(
    await run(
      Prisma.sql`SELECT lanes_word_terms(${workspaceId}, u.word, ${MAX_EXPANDED_LEXEMES}::int) AS terms
                   FROM unnest(${words}::text[]) WITH ORDINALITY AS u(word, n) ORDER BY u.n`,
    ),
  );
  const match: Prisma.Sql[] = [];
  for (const [i, word] of words.entries()) {
    const terms = rows[i]?.terms;
    if (terms === "") return null;
    match.push(terms ? Prisma.sql`${terms}::tsquery` : Prisma.sql`lanes_word_query(${word})`);
  }
  const rank = words.map((word) => Prisma.sql`lanes_word_query(${word})`);
  return { match: Prisma.sql`(${Prisma.join(match, " && ")})`, rank: Prisma.sql`(${Prisma.join(rank, " && ")})` };
}

export type SearchRow = { taskId: string; rank: number; source: "task" | "comment" };

/**
 * Best hit per live task, highest rank first. `hits` carry their task's updatedAt: a task hit has it
 * from its own row, a comment hit from a join that also drops comments of deleted tasks (joining every
 * hit to Task instead cost a primary-key probe per task hit: 2,600 of them, ~12 ms, for "deploy").
 */
function rankedHits(hits: Prisma.Sql, limit: number): Prisma.Sql {
  return Prisma.sql`
    SELECT h."taskId", max(h.rank)::float8 AS rank, (array_agg(h.source ORDER BY h.rank DESC))[1] AS source
    FROM (${hits}) h
    GROUP BY h."taskId", h."updatedAt"
    ORDER BY rank DESC, h."updatedAt" DESC
    LIMIT ${limit}`;
}

/** `q`: from searchQuery. */
export function searchRecent(
  db: DbTx,
  workspaceId: string,
  q: SearchQuery,
  window: number,
  limit: number,
): Promise<SearchRow[]> {
  return db.$queryRaw<SearchRow[]>(
    rankedHits(
      Prisma.sql`
        SELECT r.id AS "taskId", ts_rank(r."searchVector", ${q.rank}) AS rank, 'task' AS source, r."updatedAt"
        FROM (SELECT id, "searchVector", "updatedAt" FROM "Task" WHERE "workspaceId" = ${workspaceId} AND "deletedAt" IS NULL ORDER BY "updatedAt" DESC LIMIT ${window}) r
        WHERE r."searchVector" @@ ${q.match}
        UNION ALL
        SELECT c."taskId", ts_rank(c."searchVector", ${q.rank}) * 0.7, 'comment', t."updatedAt"
        FROM (SELECT "taskId", "searchVector" FROM "Comment" WHERE "workspaceId" = ${workspaceId} AND "deletedAt" IS NULL ORDER BY "createdAt" DESC LIMIT ${window}) c
        JOIN "Task" t ON t.id = c."taskId" AND t."deletedAt" IS NULL
        WHERE c."searchVector" @@ ${q.match}`,
      limit,
    ),
  );
}

/** `q`: from searchQuery. */
export function searchWide(
  db: DbTx,
  workspaceId: string,
  q: SearchQuery,
  candidates: number,
  limit: number,
): Promise<SearchRow[]> {
  // MATERIALIZED: planned for every match, so through the GIN index. With the LIMIT in the same
  // query, a word the statistics have never seen is guessed at 1 % of rows and the planner walks the
  // table hoping to stop early — over the whole table when the word is absent (0.7 s at 1M tasks).
  return db.$queryRaw<SearchRow[]>(
    rankedHits(
      Prisma.sql`
        WITH tm AS MATERIALIZED (
               SELECT id, "searchVector", "updatedAt" FROM "Task"
                WHERE "workspaceId" = ${workspaceId} AND "deletedAt" IS NULL AND "searchVector" @@ ${q.match}),
             cm AS MATERIALIZED (
               SELECT "taskId", "searchVector" FROM "Comment"
                WHERE "workspaceId" = ${workspaceId} AND "deletedAt" IS NULL AND "searchVector" @@ ${q.match})
        SELECT m.id AS "taskId", ts_rank(m."searchVector", ${q.rank}) AS rank, 'task' AS source, m."updatedAt"
        FROM (SELECT * FROM tm LIMIT ${candidates}) m
        UNION ALL
        SELECT m."taskId", ts_rank(m."searchVector", ${q.rank}) * 0.7, 'comment', t."updatedAt"
        FROM (SELECT * FROM cm LIMIT ${candidates}) m
        JOIN "Task" t ON t.id = m."taskId" AND t."deletedAt" IS NULL`,
      limit,
    ),
  );
}
