import type { DbTx } from "./client";

/** Round-trip time of a trivial query, or null if the database does not answer. */
export async function pingDatabase(db: DbTx): Promise<number | null> {
  const started = performance.now();
  try {
    await db.$queryRaw`SELECT 1`;
    return Math.round((performance.now() - started) * 10) / 10;
  } catch {
    return null;
  }
}

/**
 * The newest migration this build expects (a unit test checks it against prisma/migrations). Readiness
 * waits until the database has it: a server must not take traffic on a schema older than its code.
 */
export const LATEST_MIGRATION = "20261206190000_search_lexicon";

export type MigrationState = { ok: boolean; latest: string | null; unfinished: number };

/** What `prisma migrate deploy` has applied: the newest name, and any migration started but not finished. */
export async function migrationState(db: DbTx, expectedLatest = LATEST_MIGRATION): Promise<MigrationState> {
  const [row] = await db.$queryRaw<Array<{ latest: string | null; unfinished: bigint }>>`
    SELECT max(migration_name) FILTER (WHERE finished_at IS NOT NULL) AS latest,
           count(*) FILTER (WHERE finished_at IS NULL) AS unfinished
    FROM _prisma_migrations WHERE rolled_back_at IS NULL`;
  const latest = row?.latest ?? null;
  const unfinished = Number(row?.unfinished ?? 0);
  // Names start with their timestamp: a later one sorts after (a newer database is fine: rolling deploys).
  return { ok: unfinished === 0 && latest !== null && latest >= expectedLatest, latest, unfinished };
}
