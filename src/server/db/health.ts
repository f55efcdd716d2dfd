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
