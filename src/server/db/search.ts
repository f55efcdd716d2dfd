/**
 * Full-text search over tasks and their comments (GIN-indexed tsvectors),
 * always inside one workspace. Raw SQL because Prisma cannot express tsquery.
 */
import type { DbTx } from "./client";
import { Prisma } from "./generated/client";

/** Each word as a prefix, stemmed or not, all words required. Words are letters/digits only. */
function tsqueryFor(words: string[]): Prisma.Sql {
  const terms = words.map((w) => Prisma.sql`(to_tsquery('simple', ${w} || ':*') || to_tsquery('english', ${w} || ':*'))`);
  return Prisma.join(terms, " && ");
}

export type SearchRow = { taskId: string; rank: number; source: "task" | "comment" };

export function searchTaskIds(db: DbTx, workspaceId: string, words: string[], limit: number): Promise<SearchRow[]> {
  return db.$queryRaw<SearchRow[]>`
    WITH q AS (SELECT ${tsqueryFor(words)} AS query),
    hits AS (
      SELECT t.id AS "taskId", ts_rank(t."searchVector", q.query) AS rank, 'task' AS source
      FROM "Task" t, q
      WHERE t."workspaceId" = ${workspaceId} AND t."deletedAt" IS NULL AND t."searchVector" @@ q.query
      UNION ALL
      SELECT c."taskId", ts_rank(c."searchVector", q.query) * 0.7, 'comment'
      FROM "Comment" c, q
      WHERE c."workspaceId" = ${workspaceId} AND c."deletedAt" IS NULL AND c."searchVector" @@ q.query
    )
    SELECT h."taskId", max(h.rank)::float8 AS rank, (array_agg(h.source ORDER BY h.rank DESC))[1] AS source
    FROM hits h JOIN "Task" t ON t.id = h."taskId" AND t."deletedAt" IS NULL
    GROUP BY h."taskId", t."updatedAt"
    ORDER BY rank DESC, t."updatedAt" DESC
    LIMIT ${limit}`;
}
