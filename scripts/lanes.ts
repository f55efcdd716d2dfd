/**
 * The launcher behind `npm run app`, `npm run dev`, `npm start`, `npm run build` and the `db:*` scripts.
 *
 *   tsx scripts/lanes.ts app            use Lanes on this machine: build if the sources changed,
 *                                       migrate, seed on first start, `next start` on 127.0.0.1
 *   tsx scripts/lanes.ts dev            migrate, seed on first start, `next dev` (developing Lanes)
 *   tsx scripts/lanes.ts start          migrate, `next start` (production, after a build)
 *   tsx scripts/lanes.ts build          `prisma generate` + `next build`, recording what was built
 *   tsx scripts/lanes.ts generate       `prisma generate` when the schema changed (else nothing is rewritten)
 *   tsx scripts/lanes.ts run -- <cmd>   run any command with DATABASE_URL set
 *
 * With DATABASE_URL (from the shell or .env) it uses that PostgreSQL. Without it,
 * it runs the embedded PostgreSQL in .data/postgres (scripts/lib/local-db.ts) and
 * points DATABASE_URL at it; if another launcher already runs it, it joins that one.
 */
import { SERVER_NODE_FLAGS } from "./lib/server-flags";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { isLoopbackHost, parseEnv } from "../src/server/env";
import { buildIsCurrent, recordBuild, sourceHash } from "./lib/build-stamp";
import { pendingMigrations } from "./lib/migrations";
import { openLocalDatabase } from "./lib/local-db";
import { generateIfChanged } from "./lib/prisma-generate";
import { randomBytes } from "node:crypto";

const root = path.resolve(import.meta.dirname, "..");
const bin = (name: string) => path.join(root, "node_modules", ".bin", name);
const nextBin = path.join(root, "node_modules", "next", "dist", "bin", "next");
/** Lanes' own HTTP server with Next inside (docs/decisions/0020-client-ip.md): `next dev` / `next start` plus the client address. */
const serverEntry = path.join(root, "src", "server", "http", "serve.ts");

type Command = "app" | "dev" | "start" | "build" | "generate" | "run";
const COMMANDS: readonly Command[] = ["app", "dev", "start", "build", "generate", "run"];

function log(message: string): void {
  process.stderr.write(`\x1b[36m[lanes]\x1b[0m ${message}\n`);
}

/** Runs a command to completion, inheriting stdio; resolves with its exit code. */
function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: "inherit", env, cwd: root });
    child.on("error", reject);
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

/** Where the embedded database and the local secrets live (LANES_DATA_DIR, default .data). */
function dataRoot(): string {
  return path.resolve(root, process.env.LANES_DATA_DIR || ".data");
}

type Database = { url: string; embedded: boolean; created: boolean; release: () => Promise<void> };

async function resolveDatabase(): Promise<Database> {
  if (process.env.DATABASE_URL)
    return { url: process.env.DATABASE_URL, embedded: false, created: false, release: async () => {} };
  const port = Number(process.env.EMBEDDED_DB_PORT || 54320);
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new Error(`EMBEDDED_DB_PORT must be a port number, not "${process.env.EMBEDDED_DB_PORT}"`);
  const started = Date.now();
  const local = await openLocalDatabase({ dataRoot: dataRoot(), port, log });
  const where = `127.0.0.1:${local.port}, data in ${path.relative(root, dataRoot()) || "."}/postgres`;
  log(
    local.reused
      ? `using the embedded database already running (${where})`
      : `embedded database ready in ${Date.now() - started} ms (${where})`,
  );
  return { url: local.url, embedded: true, created: local.created, release: local.release };
}

type Env = Record<string, string | undefined>;

function childEnv(database: Database, extra: Env = {}): NodeJS.ProcessEnv {
  return { ...process.env, DATABASE_URL: database.url, NEXT_TELEMETRY_DISABLED: "1", ...extra };
}

async function migrate(database: Database): Promise<void> {
  // `prisma migrate deploy` costs seconds even when there is nothing to do; a plain query says whether it is needed.
  const pending = await pendingMigrations(database.url);
  if (pending === 0) return;
  log(pending > 0 ? `applying ${pending} migration${pending === 1 ? "" : "s"}` : "applying migrations");
  const code = await run(bin("prisma"), ["migrate", "deploy"], childEnv(database));
  if (code !== 0) throw new Error("prisma migrate deploy failed");
}

async function seedIfEmpty(database: Database): Promise<void> {
  const code = await run(bin("tsx"), ["prisma/seed.ts", "--if-empty"], childEnv(database));
  if (code !== 0) throw new Error("seeding failed");
}

/**
 * `npm run app` signs sessions with a secret generated once and kept in
 * .data/auth-secret (git-ignored, 0600), so sessions survive restarts.
 */
function localAuthSecret(): string {
  const file = path.join(dataRoot(), "auth-secret");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  mkdirSync(path.dirname(file), { recursive: true });
  const secret = randomBytes(32).toString("base64url");
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}

function distDir(): string {
  return process.env.NEXT_DIST_DIR || ".next";
}

/**
 * `prisma generate` + `next build`, then a stamp saying which sources the build is of.
 * `forUse`: the build `npm run app` makes for itself skips Next's type check (next.config.ts).
 */
async function build(forUse = false): Promise<void> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    ...(forUse ? { LANES_BUILD_SKIP_TYPECHECK: "1" } : {}),
  };
  await generateIfChanged(root);
  const hash = sourceHash(root);
  if ((await run(process.execPath, [nextBin, "build"], env)) !== 0) throw new Error("next build failed");
  recordBuild(root, distDir(), hash);
}

async function buildIfChanged(): Promise<void> {
  if (buildIsCurrent(root, distDir())) return;
  log(
    `building Lanes into ${distDir()}/ (first run, or the sources changed since the last build; this takes a few minutes)`,
  );
  const started = Date.now();
  await build(true);
  log(`built in ${Math.round((Date.now() - started) / 1000)} s`);
}

type Mode = "app" | "dev" | "start";

/** The variables Next runs with, per mode. */
function serverSettings(mode: Mode): { env: Env; hostname: string; url: string; port: string } {
  const port = process.env.PORT || "3000";
  if (mode === "dev") {
    // Development listens on this machine only: /dev/mailbox shows everyone's sign-in links.
    const url = process.env.APP_URL || `http://localhost:${port}`;
    return { env: { NODE_ENV: "development", APP_URL: url }, hostname: process.env.HOST || "localhost", url, port };
  }
  if (mode === "start") {
    return {
      env: { NODE_ENV: "production" },
      hostname: process.env.HOST || "0.0.0.0",
      url: process.env.APP_URL || `http://localhost:${port}`,
      port,
    };
  }
  // app: a production build for one machine. Loopback only, so the mailbox (sign-in without SMTP) is safe.
  const url = process.env.APP_URL || `http://localhost:${port}`;
  const mail = process.env.MAIL_TRANSPORT || (process.env.SMTP_URL ? undefined : "mailbox");
  return {
    env: {
      NODE_ENV: "production",
      APP_URL: url,
      AUTH_SECRET: process.env.AUTH_SECRET || localAuthSecret(),
      ...(mail ? { MAIL_TRANSPORT: mail } : {}),
    },
    hostname: process.env.HOST || "127.0.0.1",
    url,
    port,
  };
}

/** Polls /api/health until the server answers (or exits); true once it does. */
async function waitUntilServing(url: string, child: ChildProcess): Promise<boolean> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline && child.exitCode === null && child.signalCode === null) {
    try {
      const res = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(5000) });
      if (res.ok) return true;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return false;
}

/**
 * Runs the server in the foreground. Ctrl-C (or SIGTERM to the launcher) stops it
 * first (it drains in-flight requests); the caller then stops the database. A
 * second Ctrl-C kills it.
 */
async function serve(database: Database, mode: Mode, startedAt: number): Promise<number> {
  const settings = serverSettings(mode);
  const env = childEnv(database, settings.env);
  // The app's own validation, before Next starts: a bad variable stops here, named.
  const config = parseEnv(env);
  const mailbox = config.MAIL_TRANSPORT === "mailbox";
  if (mailbox && !isLoopbackHost(settings.hostname)) {
    throw new Error(
      `HOST=${settings.hostname} would show the dev mailbox (everyone's sign-in links) to the network; use 127.0.0.1, or configure SMTP_URL`,
    );
  }
  const child = spawn(
    process.execPath,
    [
      ...SERVER_NODE_FLAGS,
      "--import",
      "tsx",
      serverEntry,
      mode === "dev" ? "dev" : "start",
      "--port",
      settings.port,
      "--hostname",
      settings.hostname,
    ],
    { stdio: "inherit", env, cwd: root },
  );
  let signals = 0;
  const forward = (signal: NodeJS.Signals) => {
    signals += 1;
    child.kill(signals > 1 ? "SIGKILL" : signal);
  };
  process.on("SIGINT", forward);
  process.on("SIGTERM", forward);
  const exited = new Promise<number>((resolve) =>
    child.on("exit", (code, signal) => resolve(code ?? (signal === "SIGINT" || signal === "SIGTERM" ? 0 : 1))),
  );
  if (
    mode !== "dev" &&
    (await waitUntilServing(
      `http://${settings.hostname === "0.0.0.0" ? "127.0.0.1" : settings.hostname}:${settings.port}`,
      child,
    ))
  ) {
    log(`Lanes is ready at ${settings.url} (${((Date.now() - startedAt) / 1000).toFixed(1)} s)`);
  }
  if (mailbox)
    log(`sign in with any email address (try alice@example.com), then open the link from ${settings.url}/dev/mailbox`);
  return exited;
}

function loadDotEnv(): void {
  const file = path.join(root, ".env");
  if (existsSync(file)) process.loadEnvFile(file);
}

function isCommand(value: string | undefined): value is Command {
  return COMMANDS.includes(value as Command);
}

async function main(): Promise<number> {
  const startedAt = Date.now();
  loadDotEnv();
  const [command, ...rest] = process.argv.slice(2);
  if (!isCommand(command)) {
    log(`usage: lanes.ts ${COMMANDS.join(" | ")} [-- <command> [args...]]`);
    return 2;
  }
  if (command === "generate") {
    await generateIfChanged(root);
    return 0;
  }
  if (command === "build") {
    await build();
    return 0;
  }
  if (command === "dev") await generateIfChanged(root);
  if (command === "app") await buildIfChanged();
  const database = await resolveDatabase();
  try {
    if (command === "run") {
      const [cmd, ...args] = rest[0] === "--" ? rest.slice(1) : rest;
      if (!cmd) throw new Error("run: no command given");
      // Ctrl-C reaches the child (same process group); keep the database up until it exits.
      const child = spawn(existsSync(bin(cmd)) ? bin(cmd) : cmd, args, {
        stdio: "inherit",
        env: childEnv(database),
        cwd: root,
      });
      process.on("SIGINT", () => undefined);
      process.on("SIGTERM", () => child.kill("SIGTERM"));
      return await new Promise<number>((resolve, reject) => {
        child.on("error", reject);
        child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
      });
    }
    await migrate(database);
    if (command === "dev" || (command === "app" && database.embedded)) await seedIfEmpty(database);
    return await serve(database, command, startedAt);
  } finally {
    await database.release();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    log(error instanceof Error ? error.message : String(error));
    process.exit(1);
  },
);
