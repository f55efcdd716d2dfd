/**
 * The launcher's parts, on real processes and files: the embedded PostgreSQL in
 * a data directory (scripts/lib/local-db.ts) shared by several launchers and
 * surviving a kill -9, and the build stamp behind `npm run app`
 * (scripts/lib/build-stamp.ts). Each test works in a directory of its own
 * under os.tmpdir(), on a free port; nothing touches the repository's .data/.
 */
import { spawnSync } from "node:child_process";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { buildIsCurrent, recordBuild, sourceHash } from "../../scripts/lib/build-stamp";
import { freePort, inspectServer } from "../../scripts/lib/embedded-db";
import { openLocalDatabase, type LocalDatabase } from "../../scripts/lib/local-db";

const scratch: string[] = [];
const open: LocalDatabase[] = [];

function scratchDir(prefix: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  // As root the server runs as `postgres`, which must be able to reach the data directory.
  chmodSync(dir, 0o755);
  scratch.push(dir);
  return dir;
}

afterEach(async () => {
  for (const database of open.splice(0)) await database.release();
  for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function openIn(dataRoot: string, port: number): Promise<LocalDatabase> {
  const database = await openLocalDatabase({ dataRoot, port, log: () => undefined });
  open.push(database);
  return database;
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

/** A pid that certainly belongs to no process any more. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
  return Number(child.stdout);
}

describe("the embedded database in a data directory", () => {
  it("is created on first open, listens on 127.0.0.1 with a password and no unix socket, and is PostgreSQL 18", async () => {
    const dataRoot = scratchDir("lanes-launcher-");
    const first = await openIn(dataRoot, await freePort());
    expect(first.created).toBe(true);
    expect(first.url).toMatch(/^postgresql:\/\/postgres:[\w-]{20,}@127\.0\.0\.1:\d+\/lanes\?sslmode=disable$/);
    const [settings] = await query<{ version: string; socket: string; listen: string }>(
      first.url,
      "SELECT current_setting('server_version') AS version, current_setting('unix_socket_directories') AS socket, current_setting('listen_addresses') AS listen",
    );
    expect(settings).toEqual({ version: expect.stringMatching(/^18\./) as string, socket: "", listen: "127.0.0.1" });
    const wrong = new URL(first.url);
    wrong.password = "not-the-password";
    await expect(query(wrong.toString(), "SELECT 1")).rejects.toThrow(/password authentication failed/);
    expect(readFileSync(path.join(dataRoot, "postgres.password"), "utf8").trim()).toBe(
      decodeURIComponent(new URL(first.url).password),
    );
  });

  it("is shared by a second launcher, and only the last one to leave stops it", async () => {
    const dataRoot = scratchDir("lanes-launcher-");
    const port = await freePort();
    const dev = await openIn(dataRoot, port);
    const studio = await openIn(dataRoot, await freePort());
    expect(studio.reused).toBe(true);
    expect(studio.port, "the running server keeps its port").toBe(port);
    expect(studio.url).toBe(dev.url);

    await dev.release();
    expect(inspectServer(path.join(dataRoot, "postgres")).state, "still used by the second launcher").toBe("running");
    expect(await query(studio.url, "SELECT 1 AS one")).toEqual([{ one: 1 }]);

    await studio.release();
    expect(inspectServer(path.join(dataRoot, "postgres")).state).toBe("stopped");
    expect(existsSync(path.join(dataRoot, "postgres", "postmaster.pid"))).toBe(false);
  });

  it("starts again after its postmaster was killed with -9, with the committed data", async () => {
    const dataRoot = scratchDir("lanes-launcher-");
    const before = await openIn(dataRoot, await freePort());
    await query(
      before.url,
      "CREATE TABLE survivor (note text); INSERT INTO survivor VALUES ('committed before the crash')",
    );
    const dataDir = path.join(dataRoot, "postgres");
    const state = inspectServer(dataDir);
    if (state.state !== "running") throw new Error(`expected a running server, got ${state.state}`);
    process.kill(state.pid, "SIGKILL");
    while (inspectServer(dataDir).state === "running") await new Promise((resolve) => setTimeout(resolve, 20));

    const after = await openIn(dataRoot, await freePort());
    expect(after.reused, "the killed server is not reused").toBe(false);
    expect(await query(after.url, "SELECT note FROM survivor")).toEqual([{ note: "committed before the crash" }]);
    expect(readFileSync(path.join(dataRoot, "postgres.log"), "utf8")).toMatch(
      /database system was interrupted|not properly shut down/,
    );
  });

  it("takes over a lock and ignores registrations left by launchers that died", async () => {
    const dataRoot = scratchDir("lanes-launcher-");
    writeFileSync(path.join(dataRoot, "postgres.lock"), String(deadPid()));
    mkdirSync(path.join(dataRoot, "postgres.clients"));
    writeFileSync(path.join(dataRoot, "postgres.clients", String(deadPid())), "");

    const database = await openIn(dataRoot, await freePort());
    expect(existsSync(path.join(dataRoot, "postgres.lock")), "released after opening").toBe(false);
    await database.release();
    expect(inspectServer(path.join(dataRoot, "postgres")).state, "a dead launcher does not keep the server up").toBe(
      "stopped",
    );
  });
});

describe("the build stamp of npm run app", () => {
  function project(): string {
    const root = scratchDir("lanes-stamp-");
    mkdirSync(path.join(root, "src", "server", "db", "generated"), { recursive: true });
    mkdirSync(path.join(root, "prisma"));
    mkdirSync(path.join(root, ".next"));
    writeFileSync(path.join(root, "src", "page.tsx"), "export default 1;\n");
    writeFileSync(path.join(root, "src", "server", "db", "generated", "client.ts"), "generated\n");
    writeFileSync(path.join(root, "prisma", "schema.prisma"), "model A { id Int @id }\n");
    writeFileSync(
      path.join(root, "tsconfig.json"),
      JSON.stringify({ compilerOptions: { strict: true }, include: ["src"] }),
    );
    return root;
  }

  function finishBuild(root: string, id: string): void {
    writeFileSync(path.join(root, ".next", "BUILD_ID"), id);
    writeFileSync(path.join(root, ".next", "prerender-manifest.json"), "{}");
    recordBuild(root, ".next", sourceHash(root));
  }

  it("is current after a build and stays current when only mtimes, generated files or tsconfig's include change", () => {
    const root = project();
    expect(buildIsCurrent(root, ".next"), "no build yet").toBe(false);
    finishBuild(root, "build-1");
    expect(buildIsCurrent(root, ".next")).toBe(true);

    const later = new Date(Date.now() + 60_000);
    utimesSync(path.join(root, "src", "page.tsx"), later, later);
    writeFileSync(path.join(root, "src", "server", "db", "generated", "client.ts"), "regenerated\n");
    writeFileSync(
      path.join(root, "tsconfig.json"),
      JSON.stringify({ compilerOptions: { strict: true }, include: ["src", ".next-x/types/**/*.ts"] }, null, 2),
    );
    expect(buildIsCurrent(root, ".next")).toBe(true);
  });

  it("is stale when a source, the schema or a compiler option changes, or when the build is incomplete", () => {
    const root = project();
    finishBuild(root, "build-1");
    writeFileSync(path.join(root, "src", "page.tsx"), "export default 2;\n");
    expect(buildIsCurrent(root, ".next"), "source edited").toBe(false);

    finishBuild(root, "build-2");
    writeFileSync(path.join(root, "prisma", "schema.prisma"), "model B { id Int @id }\n");
    expect(buildIsCurrent(root, ".next"), "schema edited").toBe(false);

    finishBuild(root, "build-3");
    writeFileSync(
      path.join(root, "tsconfig.json"),
      JSON.stringify({ compilerOptions: { strict: false }, include: ["src"] }),
    );
    expect(buildIsCurrent(root, ".next"), "compiler option changed").toBe(false);

    finishBuild(root, "build-4");
    writeFileSync(path.join(root, ".next", "BUILD_ID"), "someone-else-built");
    expect(buildIsCurrent(root, ".next"), "a build the stamp does not describe").toBe(false);

    finishBuild(root, "build-5");
    rmSync(path.join(root, ".next", "prerender-manifest.json"));
    expect(buildIsCurrent(root, ".next"), "a failed build leaves no prerender manifest").toBe(false);
  });
});
