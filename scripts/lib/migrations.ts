/**
 * Applies prisma/migrations/*\/migration.sql in order over a plain `pg` client.
 * Used by the test harness to build throwaway databases quickly (the same SQL
 * `prisma migrate deploy` runs; real databases are migrated by Prisma itself).
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type pg from "pg";

const migrationsDir = path.resolve(import.meta.dirname, "../../prisma/migrations");

export function migrationFiles(): string[] {
  return readdirSync(migrationsDir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort()
    .map((name) => path.join(migrationsDir, name, "migration.sql"));
}

export async function applyMigrations(client: pg.Client): Promise<void> {
  for (const file of migrationFiles()) await client.query(readFileSync(file, "utf8"));
}
