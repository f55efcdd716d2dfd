/**
 * Throwaway databases for tests.
 *
 * With TEST_DATABASE_URL (a PostgreSQL server; CI uses 127.0.0.1:5432) a migrated
 * template database is built once per run and every test file gets its own copy
 * (CREATE DATABASE … TEMPLATE). Without it, every test file gets its own
 * in-memory PGlite, so `npm test` needs nothing but Node.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { applyMigrations } from "../../scripts/lib/migrations";
import { startEmbeddedDatabase } from "../../scripts/lib/embedded-db";

export type TestDatabase = { url: string; embedded: boolean; drop: () => Promise<void> };

export function serverUrl(): string | null {
  return process.env.TEST_DATABASE_URL || null;
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function admin<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(`TEST_DATABASE_URL is set but PostgreSQL is unreachable at ${new URL(url).host}: ${(error as Error).message}`);
  }
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export function uniqueName(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;
}

/** Builds a migrated template database on the server; returns its name. */
export async function createTemplate(url: string): Promise<string> {
  const name = uniqueName("lanes_tpl");
  await admin(url, (c) => c.query(`CREATE DATABASE "${name}"`));
  await admin(withDatabase(url, name), applyMigrations);
  return name;
}

export async function dropDatabaseOnServer(url: string, name: string): Promise<void> {
  await admin(url, (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}

/** A fresh database for one test file (or one test server). */
export async function createTestDatabase(template: string | null): Promise<TestDatabase> {
  const url = serverUrl();
  if (url && template) {
    const name = uniqueName("lanes_test");
    await admin(url, (c) => c.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`));
    return { url: withDatabase(url, name), embedded: false, drop: () => dropDatabaseOnServer(url, name) };
  }
  const embedded = await startEmbeddedDatabase({ port: 0 });
  const client = new pg.Client({ connectionString: embedded.url });
  await client.connect();
  await applyMigrations(client);
  await client.end();
  return { url: embedded.url, embedded: true, drop: embedded.stop };
}
