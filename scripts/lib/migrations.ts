/**
 * prisma/migrations/*\/migration.sql, in order.
 *
 * - applyMigrations: runs them over a plain `pg` client, and records them in
 *   `_prisma_migrations` as Prisma would. The test harness builds its template
 *   database this way (the same SQL `prisma migrate deploy` runs; real databases
 *   are migrated by Prisma itself).
 * - pendingMigrations: how many are not yet applied according to Prisma's
 *   `_prisma_migrations` table, so the launcher skips `prisma migrate deploy`
 *   (seconds of CLI start-up) when there is nothing to do.
 */
import { createHash, randomUUID } from "node:crypto";
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

/** Prisma's own record of applied migrations (the table `prisma migrate deploy` creates). */
const MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL,
  "logs" TEXT,
  "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

/** Runs every migration and records each as Prisma does, so the database reads as migrated (readiness). */
export async function applyMigrations(client: pg.Client): Promise<void> {
  await client.query(MIGRATIONS_TABLE);
  for (const name of migrationNames()) {
    const sql = readFileSync(path.join(migrationsDir, name, "migration.sql"), "utf8");
    await client.query(sql);
    await client.query(
      `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, applied_steps_count)
       VALUES ($1, $2, now(), $3, 1)`,
      [randomUUID(), createHash("sha256").update(sql).digest("hex"), name],
    );
  }
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
