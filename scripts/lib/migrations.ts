/**
 * prisma/migrations/*\/migration.sql, in order.
 *
 * - applyMigrations: runs them over a plain `pg` client. The test harness builds
 *   its template database this way (the same SQL `prisma migrate deploy` runs;
 *   real databases are migrated by Prisma itself).
 * - pendingMigrations: how many are not yet applied according to Prisma's
 *   `_prisma_migrations` table, so the launcher skips `prisma migrate deploy`
 *   (seconds of CLI start-up) when there is nothing to do.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";

const migrationsDir = path.resolve(import.meta.dirname, "../../prisma/migrations");

function migrationNames(): string[] {
  return readdirSync(migrationsDir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
}

export function migrationFiles(): string[] {
  return migrationNames().map((name) => path.join(migrationsDir, name, "migration.sql"));
}

export async function applyMigrations(client: pg.Client): Promise<void> {
  for (const file of migrationFiles()) await client.query(readFileSync(file, "utf8"));
}

/**
 * Migrations not yet applied; -1 when Prisma must look itself: no migrations
 * table yet, a failed migration to report, or the database is unreachable.
 */
export async function pendingMigrations(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  try {
    await client.connect();
    const table = await client.query<{ exists: boolean }>(
      `SELECT to_regclass('"_prisma_migrations"') IS NOT NULL AS exists`,
    );
    if (!table.rows[0]?.exists) return -1;
    const rows = await client.query<{ migration_name: string; finished: boolean }>(
      `SELECT migration_name, finished_at IS NOT NULL AS finished FROM "_prisma_migrations" WHERE rolled_back_at IS NULL`,
    );
    if (rows.rows.some((row) => !row.finished)) return -1;
    const applied = new Set(rows.rows.map((row) => row.migration_name));
    return migrationNames().filter((name) => !applied.has(name)).length;
  } catch {
    return -1;
  } finally {
    await client.end().catch(() => undefined);
  }
}
