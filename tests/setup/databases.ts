/**
 * Throwaway databases for tests, one code path whether or not a server is given:
 *
 * - The server: TEST_DATABASE_URL (CI: the machine's PostgreSQL), or else ONE
 *   embedded PostgreSQL 18 for the whole run (scripts/lib/embedded-db.ts) in a
 *   temporary directory under os.tmpdir(), on a free port, with durability off
 *   (fsync, synchronous_commit, full_page_writes): a crash loses nothing we keep.
 * - A migrated template database, built once per run.
 * - Every test file, and every test server, gets its own copy of the template
 *   (CREATE DATABASE … TEMPLATE), dropped afterwards.
 *
 * The integration project's global setup and the app servers of the http and
 * e2e runs all call acquireDatabaseServer(); they run in vitest's main process
 * but each project loads modules on its own, so the shared server lives on
 * globalThis and the last release stops it and removes its directory. If the
 * process exits without releasing (a crash), an exit hook still stops it, and
 * the next run removes what a killed run left behind.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import PgBoss from "pg-boss";
import { applyMigrations } from "../../scripts/lib/migrations";
import {
  connectionUrl,
  freePort,
  initCluster,
  makeServerDir,
  newPassword,
  postgresBinaries,
  startServer,
  stopServer,
  stopServerNow,
} from "../../scripts/lib/embedded-db";
import { isAlive } from "../../scripts/lib/processes";

export type TestDatabase = { url: string; drop: () => Promise<void> };

export type DatabaseServer = {
  /** Superuser URL of the server (any database name; tests replace it). */
  url: string;
  /** The migrated template database on it. */
  template: string;
  release: () => Promise<void>;
};

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
    throw new Error(`PostgreSQL for the tests is unreachable at ${new URL(url).host}: ${(error as Error).message}`);
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
  await installJobQueueSchema(withDatabase(url, name));
  return name;
}

/**
 * The job queue's own schema (pg-boss creates it when the app starts), made once in the template so
 * every copy has it: a test file or server that enqueues does not build it again.
 */
async function installJobQueueSchema(url: string): Promise<void> {
  const boss = new PgBoss({ connectionString: url, schema: "pgboss", supervise: false, schedule: false, max: 1 });
  boss.on("error", () => {});
  await boss.start();
  await boss.stop({ graceful: false, wait: true });
}

export async function dropDatabaseOnServer(url: string, name: string): Promise<void> {
  await admin(url, (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}

/** A fresh copy of the template for one test file (or one test server). */
export async function createTestDatabase(serverUrl: string, template: string): Promise<TestDatabase> {
  const name = uniqueName("lanes_test");
  await admin(serverUrl, (c) => c.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`));
  return { url: withDatabase(serverUrl, name), drop: () => dropDatabaseOnServer(serverUrl, name) };
}

// ── the embedded server for a run without TEST_DATABASE_URL ─────────────────

const DIR_PREFIX = "lanes-test-pg-";
/** Durability off: nothing in a test database outlives the run. */
const FAST_SETTINGS = { fsync: "off", synchronous_commit: "off", full_page_writes: "off" };

type Embedded = { url: string; stop: () => Promise<void> };

/** Servers and directories of earlier runs that were killed before they could clean up. */
function removeLeftovers(binaries: Awaited<ReturnType<typeof postgresBinaries>>): void {
  for (const name of readdirSync(os.tmpdir())) {
    if (!name.startsWith(DIR_PREFIX)) continue;
    const dir = path.join(os.tmpdir(), name);
    try {
      const owner = Number.parseInt(readFileSync(path.join(dir, "owner.pid"), "utf8"), 10);
      if (isAlive(owner)) continue;
    } catch {
      // no owner file: a run that died while creating it
    }
    stopServerNow(path.join(dir, "data"), binaries);
    rmSync(dir, { recursive: true, force: true });
  }
}

async function startEmbedded(): Promise<Embedded> {
  const binaries = await postgresBinaries();
  removeLeftovers(binaries);
  const dir = mkdtempSync(path.join(os.tmpdir(), DIR_PREFIX));
  writeFileSync(path.join(dir, "owner.pid"), String(process.pid));
  makeServerDir(dir);
  const dataDir = path.join(dir, "data");
  const cleanUpOnExit = () => {
    stopServerNow(dataDir, binaries);
    rmSync(dir, { recursive: true, force: true });
  };
  process.on("exit", cleanUpOnExit);
  try {
    const password = newPassword();
    await initCluster({ dataDir, password, noSync: true });
    // A free port can be taken between choosing it and binding it: try another.
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      try {
        await startServer({ dataDir, port, logFile: path.join(dir, "postgres.log"), settings: FAST_SETTINGS });
        return {
          url: connectionUrl(port, password, "postgres"),
          stop: async () => {
            process.off("exit", cleanUpOnExit);
            await stopServer(dataDir).catch(() => stopServerNow(dataDir, binaries));
            rmSync(dir, { recursive: true, force: true });
          },
        };
      } catch (error) {
        if (attempt >= 3) throw error;
      }
    }
  } catch (error) {
    process.off("exit", cleanUpOnExit);
    cleanUpOnExit();
    throw new Error(`could not start the embedded PostgreSQL for the tests: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

type Shared = { refs: number; ready: Promise<{ url: string; template: string; stop: () => Promise<void> }> };
const SHARED = Symbol.for("lanes.tests.databaseServer");
const registry = globalThis as unknown as { [SHARED]?: Shared };

async function startShared(): Promise<{ url: string; template: string; stop: () => Promise<void> }> {
  const configured = process.env.TEST_DATABASE_URL;
  const embedded = configured ? null : await startEmbedded();
  const url = embedded ? embedded.url : (configured ?? "");
  try {
    const template = await createTemplate(url);
    return {
      url,
      template,
      stop: async () => {
        // The embedded server goes away whole; a configured one keeps everything but our template.
        if (embedded) await embedded.stop();
        else await dropDatabaseOnServer(url, template);
      },
    };
  } catch (error) {
    await embedded?.stop();
    throw error;
  }
}

/** The run's database server and template, started on first use; release() when done (the last one stops it). */
export async function acquireDatabaseServer(): Promise<DatabaseServer> {
  let shared = registry[SHARED];
  if (!shared) {
    shared = { refs: 0, ready: startShared() };
    registry[SHARED] = shared;
    shared.ready.catch(() => {
      if (registry[SHARED] === shared) delete registry[SHARED];
    });
  }
  shared.refs += 1;
  const current = shared;
  const { url, template, stop } = await current.ready;
  let released = false;
  return {
    url,
    template,
    release: async () => {
      if (released) return;
      released = true;
      current.refs -= 1;
      if (current.refs > 0) return;
      if (registry[SHARED] === current) delete registry[SHARED];
      await stop();
    },
  };
}
