/**
 * The launcher behind `npm run dev`, `npm start` and the `db:*` scripts.
 *
 *   tsx scripts/lanes.ts dev            migrate, seed on first start, `next dev`
 *   tsx scripts/lanes.ts start          migrate, `next start` (after `npm run build`)
 *   tsx scripts/lanes.ts run -- <cmd>   run any command with DATABASE_URL set
 *
 * With DATABASE_URL (from the shell or .env) it uses that PostgreSQL. Without it,
 * it runs the embedded database (PGlite under .data/) and points DATABASE_URL at it;
 * if another launcher already serves it, it reuses that one.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { isPortOpen, startEmbeddedDatabase, type EmbeddedDatabase } from "./lib/embedded-db";
import { parseEnv } from "../src/server/env";

const root = path.resolve(import.meta.dirname, "..");
const bin = (name: string) => path.join(root, "node_modules", ".bin", name);

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

/** `owned`: this launcher started the embedded database and must close it. */
type Database = { url: string; embedded: boolean; owned: boolean; stop: () => Promise<void> };

async function resolveDatabase(): Promise<Database> {
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL, embedded: false, owned: false, stop: async () => {} };
  const host = "127.0.0.1";
  const port = Number(process.env.EMBEDDED_DB_PORT ?? 54320);
  if (await isPortOpen(host, port)) {
    log(`using the embedded database already running on ${host}:${port}`);
    return { url: `postgresql://postgres:postgres@${host}:${port}/postgres?sslmode=disable`, embedded: true, owned: false, stop: async () => {} };
  }
  const dataDir = path.join(root, ".data", "pglite");
  const fresh = !existsSync(dataDir);
  log(`${fresh ? "creating" : "opening"} the embedded database in .data/pglite (PGlite on ${host}:${port})`);
  const database: EmbeddedDatabase = await startEmbeddedDatabase({ dataDir, host, port });
  return { url: database.url, embedded: true, owned: true, stop: database.stop };
}

type Env = Record<string, string | undefined>;

function childEnv(database: Database, extra: Env = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    DATABASE_URL: database.url,
    // PGlite has one session; the pool must not open a second (ENGINEERING.md trap 7).
    ...(database.embedded ? { DATABASE_POOL_SIZE: "1" } : {}),
    NEXT_TELEMETRY_DISABLED: "1",
    ...extra,
  };
}

async function migrate(database: Database): Promise<void> {
  log("applying migrations");
  const code = await run(bin("prisma"), ["migrate", "deploy"], childEnv(database));
  if (code !== 0) throw new Error("prisma migrate deploy failed");
}

async function seedIfEmpty(database: Database): Promise<void> {
  const code = await run(bin("tsx"), ["prisma/seed.ts", "--if-empty"], childEnv(database));
  if (code !== 0) throw new Error("seeding failed");
}

/** Runs `next` in the foreground; Ctrl-C stops it, then the database, cleanly. */
async function serve(database: Database, mode: "dev" | "start"): Promise<number> {
  const port = process.env.PORT ?? "3000";
  const url = process.env.APP_URL ?? `http://localhost:${port}`;
  // Development listens on this machine only: /dev/mailbox shows everyone's sign-in links.
  const hostname = process.env.HOST ?? (mode === "dev" ? "localhost" : "0.0.0.0");
  const env = childEnv(database, { NODE_ENV: mode === "dev" ? "development" : "production", ...(mode === "dev" ? { APP_URL: url } : {}) });
  log(`Lanes is starting at ${url}`);
  // The app's own validation, before Next starts: a bad variable stops here, named.
  if (parseEnv(env).MAIL_TRANSPORT === "mailbox") {
    log(`sign in with any email address, then open the link from ${url}/dev/mailbox`);
  }
  const child = spawn(process.execPath, [path.join(root, "node_modules", "next", "dist", "bin", "next"), mode, "--port", port, "--hostname", hostname], {
    stdio: "inherit",
    env,
    cwd: root,
  });
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  process.on("SIGINT", forward);
  process.on("SIGTERM", forward);
  return new Promise((resolve) => child.on("exit", (code) => resolve(code ?? 0)));
}

function loadDotEnv(): void {
  const file = path.join(root, ".env");
  if (existsSync(file)) process.loadEnvFile(file);
}

async function main(): Promise<number> {
  loadDotEnv();
  const [command, ...rest] = process.argv.slice(2);
  if (command !== "dev" && command !== "start" && command !== "run") {
    log("usage: lanes.ts dev | start | run -- <command> [args...]");
    return 2;
  }
  const database = await resolveDatabase();
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await database.stop();
  };
  try {
    if (command === "run") {
      const [cmd, ...args] = rest[0] === "--" ? rest.slice(1) : rest;
      if (!cmd) throw new Error("run: no command given");
      // Ctrl-C goes to the child (same process group); keep the database up until it exits.
      process.on("SIGINT", () => undefined);
      return await run(existsSync(bin(cmd)) ? bin(cmd) : cmd, args, childEnv(database));
    }
    await migrate(database);
    if (command === "dev") await seedIfEmpty(database);
    return await serve(database, command);
  } finally {
    await stop();
    if (database.owned) log("embedded database closed");
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    log(error instanceof Error ? error.message : String(error));
    process.exit(1);
  },
);
