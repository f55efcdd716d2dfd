/**
 * `npm run dev` on an existing data directory leaves open pages alone.
 *
 * A report: the second `npm run dev` "reloaded every page every 2–4 s" with
 * "[Fast Refresh] rebuilding" in a loop. The embedded database writes under
 * .data/ all the time, so this runs the launcher exactly as `npm run dev` does
 * (`tsx scripts/lanes.ts dev`: generate, embedded PostgreSQL in .data/…,
 * migrate, seed, `next dev`) with its data directory inside the repository,
 * opens a signed-in page in Chromium and, for 30 s, writes to the database,
 * forces checkpoints, runs `lanes.ts generate` and a second launcher beside
 * the first (what `npm run db:studio` does). The page must not reload (the
 * navigation entry and a window marker survive) and must not receive a single
 * HMR rebuild.
 *
 * Own server, own dist dir (.next-dev-e2e), own ports; it does not use the
 * suite's `next start` server.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, watch } from "node:fs";
import path from "node:path";
import pg from "pg";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { freePort } from "../../scripts/lib/embedded-db";
import { launchBrowser } from "./helpers";
import { restore, snapshot } from "../setup/app-server";
import { groupAlive } from "../../scripts/lib/processes";

const root = path.resolve(import.meta.dirname, "..", "..");
const tsx = path.join(root, "node_modules", ".bin", "tsx");
const ARTIFACTS = path.join(root, "tests", "e2e", "artifacts");
const DIST_DIR = ".next-dev-e2e";
const OBSERVE_MS = 30_000;
const SESSION_COOKIE = "authjs.session-token";

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The launcher's environment: like a developer's shell without DATABASE_URL, pointed at a data dir of our own. */
function launcherEnv(dataDir: string, dbPort: number, appPort: number): NodeJS.ProcessEnv {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.startsWith("VITEST") && key !== "TEST" && key !== "NODE_ENV"),
  );
  return {
    ...inherited,
    // What a developer's shell has (vitest's "test" would leak into the launcher's children).
    NODE_ENV: "development",
    // Set but empty, so a .env file cannot point the launcher elsewhere: the embedded database is the subject.
    DATABASE_URL: "",
    APP_URL: "",
    HOST: "",
    LANES_DATA_DIR: dataDir,
    EMBEDDED_DB_PORT: String(dbPort),
    PORT: String(appPort),
    NEXT_DIST_DIR: DIST_DIR,
    LOG_LEVEL: "warn",
    // A failure's server log then names the file behind each rebuild ("[Update Reasons]").
    NEXT_TURBOPACK_INCLUDE_UPDATE_REASONS: "1",
  };
}

/** Runs a launcher command to completion; resolves with its combined output. */
function runLauncher(args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(tsx, ["scripts/lanes.ts", ...args], { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.once("error", reject);
    child.once("exit", (code) =>
      code === 0 ? resolve(output) : reject(new Error(`lanes.ts ${args.join(" ")} exited with ${code}:\n${output}`)),
    );
  });
}

describe("npm run dev on an existing data directory", () => {
  const dataDir = path.join(".data", `dev-reload-test-${randomBytes(3).toString("hex")}`);
  const logFile = path.join(ARTIFACTS, "dev-reload.log");
  // `next dev` rewrites tsconfig.json and next-env.d.ts for its dist dir; both are put back afterwards.
  const nextWrites = snapshot();
  let env: NodeJS.ProcessEnv = { NODE_ENV: "development" };
  let baseUrl = "";
  let databaseUrl = "";
  let launcher: ChildProcess | null = null;
  let browser: Browser | null = null;

  beforeAll(async () => {
    const [dbPort, appPort] = [await freePort(), await freePort()];
    env = launcherEnv(dataDir, dbPort, appPort);
    baseUrl = `http://localhost:${appPort}`;
    // A first launcher creates the data directory; `dev` then opens an existing one.
    await runLauncher(["run", "--", "node", "-e", ""], env);
    databaseUrl = `postgresql://postgres:${readFileSync(path.join(root, dataDir, "postgres.password"), "utf8").trim()}@127.0.0.1:${dbPort}/lanes`;

    mkdirSync(ARTIFACTS, { recursive: true });
    const log = openSync(logFile, "w");
    try {
      // Its own process group: afterAll signals the launcher and the `next dev` it runs together, like Ctrl-C.
      launcher = spawn(tsx, ["scripts/lanes.ts", "dev"], {
        cwd: root,
        env,
        detached: true,
        stdio: ["ignore", log, log],
      });
    } finally {
      closeSync(log);
    }
    const deadline = Date.now() + 120_000;
    for (;;) {
      if (launcher.exitCode !== null) throw new Error(`the launcher exited (${launcher.exitCode}); see ${logFile}`);
      const ok = await fetch(`${baseUrl}/api/health`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      if (Date.now() > deadline) throw new Error(`next dev did not answer in 120 s; see ${logFile}`);
      await sleep(500);
    }
    browser = await launchBrowser();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    const pgid = launcher?.pid;
    if (pgid && groupAlive(pgid)) {
      process.kill(-pgid, "SIGINT");
      const deadline = Date.now() + 20_000;
      while (groupAlive(pgid) && Date.now() < deadline) await sleep(100);
      if (groupAlive(pgid)) process.kill(-pgid, "SIGKILL");
    }
    // The launcher was the last user of its server, so Ctrl-C stopped PostgreSQL too.
    const stillRunning = existsSync(path.join(root, dataDir, "postgres", "postmaster.pid"));
    rmSync(path.join(root, dataDir), { recursive: true, force: true });
    restore(nextWrites, DIST_DIR, "dev-reload test");
    expect(stillRunning, "Ctrl-C on the launcher stops its embedded PostgreSQL").toBe(false);
  }, 60_000);

  test("a signed-in page sees no reload and no HMR rebuild for 30 s while the database is written and a second launcher runs", async () => {
    if (!browser) throw new Error("no browser");
    const db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    try {
      // A session for the seeded owner, planted as the email link would leave it.
      const token = randomBytes(24).toString("hex");
      const owner = await db.query<{ id: string }>(`SELECT id FROM "User" WHERE email = 'alice@example.com'`);
      expect(owner.rows, "the demo data was seeded on first start").toHaveLength(1);
      await db.query(
        `INSERT INTO "Session" ("sessionToken", "userId", "expires", "updatedAt") VALUES ($1, $2, now() + interval '1 day', now())`,
        [token, owner.rows[0]!.id],
      );

      const context = await browser.newContext();
      await context.addCookies([{ name: SESSION_COOKIE, value: token, url: baseUrl, httpOnly: true, sameSite: "Lax" }]);
      const page = await context.newPage();
      const events: { at: number; text: string }[] = [];
      page.on("console", (message) => events.push({ at: Date.now(), text: message.text() }));
      page.on("request", (request) => {
        if (request.resourceType() === "document") events.push({ at: Date.now(), text: `document ${request.url()}` });
      });

      await page.goto(`${baseUrl}/w/acme`, { waitUntil: "networkidle", timeout: 120_000 });
      expect(new URL(page.url()).pathname, "signed in, on the workspace").toBe("/w/acme");
      // next dev compiles a route on its first request and announces every compile to every open
      // page ("[Fast Refresh] rebuilding"): let this page's first compiles (page, tRPC, auth) finish.
      const lastAnnouncement = () =>
        Math.max(0, ...events.filter((e) => e.text.includes("[Fast Refresh]")).map((e) => e.at));
      const settleDeadline = Date.now() + 60_000;
      while (Date.now() - lastAnnouncement() < 3000 && Date.now() < settleDeadline) await sleep(250);
      await page.evaluate(() => Object.assign(window, { __lanesMarker: "still the same document" }));
      const from = Date.now();
      // A real edit under src/ (someone working in the same tree) rebuilds, as it should; name it if it happens.
      const edited = new Set<string>();
      const sourceWatcher = watch(path.join(root, "src"), { recursive: true }, (_event, file) => {
        if (file && !file.startsWith(path.join("server", "db", "generated"))) edited.add(file);
      });

      // 30 s of database writes (WAL, data files, checkpoints under .data/), `generate`, and a second launcher.
      await db.query(
        "CREATE TABLE IF NOT EXISTS dev_reload_probe (id serial PRIMARY KEY, at timestamptz NOT NULL DEFAULT now())",
      );
      const beside = (async () => {
        await sleep(8_000);
        await runLauncher(["generate"], env);
        await sleep(4_000);
        return runLauncher(["run", "--", "node", "-e", "process.exit(process.env.DATABASE_URL ? 0 : 1)"], env);
      })();
      let writes = 0;
      while (Date.now() - from < OBSERVE_MS) {
        await db.query("INSERT INTO dev_reload_probe DEFAULT VALUES");
        writes += 1;
        if (writes % 20 === 0) await db.query("CHECKPOINT");
        await sleep(100);
      }
      const secondLauncher = await beside;
      await sleep(2_000);
      sourceWatcher.close();

      const after = events.filter((e) => e.at >= from).map((e) => `${((e.at - from) / 1000).toFixed(1)} s: ${e.text}`);
      const marker = await page.evaluate(() => (window as unknown as { __lanesMarker?: string }).__lanesMarker ?? null);
      const navigations = await page.evaluate(() => performance.getEntriesByType("navigation").length);
      expect(secondLauncher, "the second launcher joined the running server").toContain(
        "using the embedded database already running",
      );
      expect(writes).toBeGreaterThan(100);
      expect(marker, "a full reload would have erased the marker").toBe("still the same document");
      expect(navigations).toBe(1);
      expect(
        after.filter((text) => text.includes(": document ")),
        "no document was requested again",
      ).toEqual([]);
      expect(
        after.filter((text) => text.includes("[Fast Refresh]")),
        `no HMR rebuild reached the page (files edited under src/ meanwhile: ${[...edited].join(", ") || "none"}; server log: ${logFile})`,
      ).toEqual([]);
      await context.close();
    } finally {
      await db.end();
    }
  }, 150_000);
});
