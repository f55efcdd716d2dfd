/**
 * One real Lanes server for tests that speak to it from outside: the HTTP tests
 * (development mode) and the browser tests (the production build), both run by
 * Lanes' own server (src/server/http/serve.ts dev|start) as the launcher runs it.
 *
 * - Database: its own copy of the run's migrated template, on TEST_DATABASE_URL
 *   or on the run's one embedded PostgreSQL (tests/setup/databases.ts).
 * - Server: in its own process group (detached), on a
 *   free port, with a hermetic environment (a developer's shell or .env cannot
 *   change it) and mail captured in the dev mailbox. Its output goes to `logFile`.
 * - Stop: SIGTERM to the whole group (Next may fork workers; killing only the
 *   server's pid could leave them running), SIGKILL if it lingers,
 *   then the database (and template) are dropped. A process that dies without
 *   stopping still SIGKILLs the group on exit.
 */
import { spawn, type ChildProcess } from "node:child_process";
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import net from "node:net";
import path from "node:path";
import { isDeepStrictEqual } from "node:util";
import superjson from "superjson";
import { assertRedisReachable } from "./global-db";
import { acquireDatabaseServer, createTestDatabase, type DatabaseServer, type TestDatabase } from "./databases";
import { groupAlive } from "../../scripts/lib/processes";
import { SERVER_NODE_FLAGS } from "../../scripts/lib/server-flags";

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
    /** The server's database: fixtures plant rows there, tests hold locks on it. */
    databaseUrl: string;
    /** A second production server whose APP_URL is https (browser tests: what a public deployment sends). */
    httpsDeploymentUrl: string;
    /** The http tests' server's internal metrics port (METRICS_PORT), and its METRICS_TOKEN. */
    metricsUrl: string;
    metricsToken: string;
  }
}

export type AppServerOptions = {
  /** `dev`: `next dev` (compiles on demand); `start`: `next start` on a finished `npm run build`. */
  mode: "dev" | "start";
  /** Build output directory, relative to the repository root (NEXT_DIST_DIR). */
  distDir: string;
  /** Absolute path of the file that receives the server's stdout and stderr. */
  logFile: string;
  /** Variables set last, over the defaults below. */
  extraEnv?: Record<string, string>;
  /** Who is asking, for messages ("http tests"). */
  label?: string;
  /** Whether the dev mailbox is on (warm-up reads it); false for a server configured like a public deployment. */
  mailbox?: boolean;
  /** Serve this existing database (another server's: several instances of one deployment) instead of a fresh one. */
  databaseUrl?: string;
  /** Listen on this port (a restarted instance keeps its address); default: a free one. */
  port?: number;
  /** Listen on this address (`0.0.0.0`: every interface, as in a container); default: localhost. */
  hostname?: string;
  /** Who answers /api/trpc (serve.ts --api): Lanes' server itself or Next's route; default: as the mode does. */
  api?: "direct" | "next";
};

/** `databaseUrl`: the server's own database, for tests that plant rows (e.g. a signed-in session) directly. */
export type AppServer = {
  baseUrl: string;
  databaseUrl: string;
  logFile: string;
  /** The server's process group (signal it to test shutdown). */
  pid: number;
  stop: () => Promise<void>;
};

const root = path.resolve(import.meta.dirname, "..", "..");
/** A fixed secret for the throwaway server (40 characters). */
const TEST_AUTH_SECRET = "lanes-http-tests-secret-0123456789abcdef";
const STARTUP_TIMEOUT_MS = 150_000;
const WARMUP_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 10_000;

/** Free TCP port on this machine (the OS picks; released just before `next` binds it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once("error", reject);
    server.listen(0, () => {
      const address = server.address();
      const port = address && typeof address === "object" ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error("could not pick a free port"))));
    });
  });
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function logTail(logFile: string, lines = 60): string {
  try {
    return readFileSync(logFile, "utf8").split("\n").slice(-lines).join("\n");
  } catch {
    return "(no server log)";
  }
}

/**
 * `next dev` rewrites tsconfig.json (adding `<distDir>/types/**`) and
 * next-env.d.ts for its dist dir. Tests must leave the working tree as they
 * found it, so both are restored once the server is gone. (`next start` writes
 * neither, so it takes no snapshot and never touches them.)
 */
export type Snapshot = { file: string; content: string | null };

export function snapshot(): Snapshot[] {
  return ["tsconfig.json", "next-env.d.ts"].map((name) => {
    const file = path.join(root, name);
    return { file, content: existsSync(file) ? readFileSync(file, "utf8") : null };
  });
}

/** tsconfig.json equals the original apart from entries naming the dist dir. */
function onlyDistDirAdded(original: string, current: string, distDir: string): boolean {
  try {
    const before: unknown = JSON.parse(original);
    const after: unknown = JSON.parse(current);
    if (typeof after !== "object" || after === null || !("include" in after) || !Array.isArray(after.include))
      return false;
    const include: unknown[] = after.include;
    const cleaned = {
      ...after,
      include: include.filter((entry) => !(typeof entry === "string" && entry.startsWith(`${distDir}/`))),
    };
    return isDeepStrictEqual(before, cleaned);
  } catch {
    return false;
  }
}

export function restore(snapshots: Snapshot[], distDir: string, label: string): void {
  for (const { file, content } of snapshots) {
    const current = existsSync(file) ? readFileSync(file, "utf8") : null;
    if (current === content) continue;
    if (content === null) {
      if (current !== null) unlinkSync(file);
      continue;
    }
    if (file.endsWith("tsconfig.json") && current !== null && !onlyDistDirAdded(content, current, distDir)) {
      // Someone else changed it meanwhile: leave their edit alone.
      console.warn(`[${label}] ${path.relative(root, file)} changed during the run; not restoring it`);
      continue;
    }
    writeFileSync(file, content);
  }
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // already gone
  }
}

async function stopServer(child: ChildProcess): Promise<void> {
  const pgid = child.pid;
  if (!pgid) return;
  signalGroup(pgid, "SIGTERM");
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  while (groupAlive(pgid) && Date.now() < deadline) await sleep(100);
  if (groupAlive(pgid)) {
    signalGroup(pgid, "SIGKILL");
    const killDeadline = Date.now() + STOP_TIMEOUT_MS;
    while (groupAlive(pgid) && Date.now() < killDeadline) await sleep(100);
  }
}

function serverEnv(options: AppServerOptions, database: { url: string }, appUrl: string): NodeJS.ProcessEnv {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.startsWith("VITEST") && key !== "TEST"),
  );
  return {
    ...inherited,
    DATABASE_URL: database.url,
    DATABASE_POOL_SIZE: "5",
    NEXT_DIST_DIR: options.distDir,
    MAIL_TRANSPORT: "mailbox",
    APP_URL: appUrl,
    AUTH_SECRET: TEST_AUTH_SECRET,
    NODE_ENV: options.mode === "dev" ? "development" : "production",
    NEXT_TELEMETRY_DISABLED: "1",
    LOG_LEVEL: "warn",
    // Set, but empty (= unset for src/server/env.ts), so a developer's shell or
    // .env file (Next never overrides a variable that is set) cannot change the
    // server under test: no SMTP, no Upstash, limits on, no GitHub, no URL override,
    // no production mailbox unless APP_URL is loopback (it is: baseUrl).
    REDIS_URL: process.env.REDIS_URL ?? "",
    SMTP_URL: "",
    UPSTASH_REDIS_REST_URL: "",
    UPSTASH_REDIS_REST_TOKEN: "",
    RATE_LIMIT_DISABLED: "",
    AUTH_GITHUB_ID: "",
    AUTH_GITHUB_SECRET: "",
    AUTH_URL: "",
    NEXTAUTH_URL: "",
    // The tests play a reverse proxy: each simulated person's address arrives in X-Forwarded-For
    // (tests/helpers/http.ts uniqueIp), as a proxy would append it (docs/decisions/0020-client-ip.md).
    TRUSTED_PROXY_HOPS: "1",
    TRUSTED_PROXY_HEADER: "",
    ...options.extraEnv,
  };
}

/** GETs until `accept(status)`; a failed compile (say, a page mid-edit) is retried until the deadline. */
async function waitFor(
  url: string,
  deadline: number,
  child: ChildProcess,
  accept: (status: number) => boolean = (s) => s === 200,
): Promise<void> {
  let last = "no response yet";
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`the server exited (${child.exitCode ?? child.signalCode}) before ${url} answered`);
    }
    try {
      const res = await fetch(url, {
        redirect: "manual",
        signal: AbortSignal.timeout(Math.max(1000, Math.min(60_000, deadline - Date.now()))),
      });
      const body = await res.text();
      if (accept(res.status)) return;
      last = `HTTP ${res.status}: ${body.slice(0, 300)}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await sleep(1000);
  }
  throw new Error(`${url} did not become ready: ${last}`);
}

/** Rewritten by every `prisma generate` (`npm test`, `npm run typecheck`) without changing the app. */
const GENERATED = path.join(root, "src", "server", "db", "generated");

/** Newest modification time of any source file under `dir`. */
function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (full === GENERATED) continue;
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

/** `next start` serves a finished build; a failed build leaves BUILD_ID but no prerender manifest. */
function assertBuilt(distDir: string, label: string): void {
  const dir = path.join(root, distDir);
  const buildId = path.join(dir, "BUILD_ID");
  if (!existsSync(buildId) || !existsSync(path.join(dir, "prerender-manifest.json"))) {
    throw new Error(
      `There is no complete production build in ${distDir}/ (${distDir}/BUILD_ID is missing or the last build failed): run \`npm run build\` first.`,
    );
  }
  if (newestMtime(path.join(root, "src")) > statSync(buildId).mtimeMs) {
    console.warn(
      `[${label}] src/ changed after the build in ${distDir}/ was made; the tests run the old build (run \`npm run build\` to test the current code)`,
    );
  }
}

/** Starts the server on a fresh database; resolves once it answers. Throws (with the log's tail) if it does not. */
export async function startAppServer(options: AppServerOptions): Promise<AppServer> {
  const label = options.label ?? "test server";
  const logFile = options.logFile;
  if (options.mode === "start") assertBuilt(options.distDir, label);
  await assertRedisReachable();

  let pgServer: DatabaseServer | null = null;
  let database: TestDatabase | null = null;
  let databaseUrl = options.databaseUrl ?? "";
  let child: ChildProcess | null = null;
  const files = options.mode === "dev" ? snapshot() : [];
  const killOnExit = () => {
    // Last resort when this process dies without stopping the server.
    if (child?.pid) signalGroup(child.pid, "SIGKILL");
    restore(files, options.distDir, label);
  };

  let stopped: Promise<void> | null = null;
  const stop = () =>
    (stopped ??= (async () => {
      process.off("exit", killOnExit);
      if (child) await stopServer(child);
      restore(files, options.distDir, label);
      await database
        ?.drop()
        .catch((error: unknown) =>
          console.warn(`[${label}] dropping the database failed: ${(error as Error).message}`),
        );
      await pgServer?.release();
    })());

  try {
    if (!options.databaseUrl) {
      pgServer = await acquireDatabaseServer();
      database = await createTestDatabase(pgServer.url, pgServer.template);
      databaseUrl = database.url;
    }

    const port = options.port ?? (await freePort());
    const baseUrl = `http://localhost:${port}`;
    mkdirSync(path.dirname(logFile), { recursive: true });
    const logFd = openSync(logFile, "w");
    process.on("exit", killOnExit);
    try {
      // Lanes' own HTTP server (Next inside it), as the launcher runs it: src/server/http/serve.ts.
      child = spawn(
        process.execPath,
        [
          ...SERVER_NODE_FLAGS,
          "--import",
          "tsx",
          path.join(root, "src", "server", "http", "serve.ts"),
          options.mode,
          "--port",
          String(port),
          "--hostname",
          options.hostname ?? "localhost",
          ...(options.api ? ["--api", options.api] : []),
        ],
        {
          cwd: root,
          env: serverEnv(options, { url: databaseUrl }, baseUrl),
          // Own process group, so stop() can signal `next` and its `next-server` together.
          detached: true,
          stdio: ["ignore", logFd, logFd],
        },
      );
    } finally {
      closeSync(logFd);
    }
    const started = child;
    await new Promise<void>((resolve, reject) => {
      started.once("spawn", resolve);
      started.once("error", reject);
    });

    await waitFor(`${baseUrl}/api/health`, Date.now() + STARTUP_TIMEOUT_MS, started);

    // Under `next dev`, compile what the tests use now, so no test pays for a first
    // compile; under `next start` this checks the mailbox and tRPC answer.
    const meInput = encodeURIComponent(JSON.stringify(superjson.serialize(undefined)));
    const warmupDeadline = Date.now() + WARMUP_TIMEOUT_MS;
    await Promise.all([
      waitFor(`${baseUrl}/api/auth/csrf`, warmupDeadline, started),
      ...(options.mailbox === false
        ? []
        : [waitFor(`${baseUrl}/dev/mailbox?to=warmup%40example.test`, warmupDeadline, started)]),
      waitFor(`${baseUrl}/api/trpc/system.me?input=${meInput}`, warmupDeadline, started),
    ]);

    return { baseUrl, databaseUrl, logFile, pid: started.pid ?? 0, stop };
  } catch (error) {
    await stop();
    throw new Error(
      `The server for the ${label} did not start: ${(error as Error).message}\n--- ${path.relative(root, logFile)} (tail) ---\n${logTail(logFile)}`,
      { cause: error },
    );
  }
}
