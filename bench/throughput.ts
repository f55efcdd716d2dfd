/**
 * Lanes under concurrent load against the raw ceiling, in one run. The first page of a project's
 * tasks (50 rows) over HTTP with a session cookie, at several connection counts (autocannon):
 *
 *   ceiling: list only          bench/ceiling.ts — node:http + pg, the same rows, the page query alone
 *   ceiling: session + list     the same, plus the session and membership lookups every call pays
 *   Lanes task.list             the production build (`npm start`'s server), request cache as configured
 *   Lanes /api/health           no session, no database: the floor of Lanes' HTTP path
 *   via Next's route            (--via-next) task.list through Next's route pipeline, as before decision 0043
 *
 * Rounds alternate the targets so drift on a shared machine hits all alike; medians are reported,
 * and the goal line prints Lanes ÷ ceiling (throughput, and p99 as a multiple).
 *
 *   DATABASE_URL=…/lanes_bench [REDIS_URL=redis://127.0.0.1:6379] npm run bench:throughput
 *   … -- --seconds 10 --connections 8,32,64 --rounds 3 [--cache-off] [--via-next]
 *
 * Needs `npm run build` and the data set from bench/generate.ts. Writes bench/results/throughput.json.
 */
import "./quiet";
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import autocannon from "autocannon";
import pg from "pg";
import superjson from "superjson";
import { argument } from "./cli";
import { freePort, startServer, stopServer, waitUntilHealthy } from "./server";

const root = path.resolve(import.meta.dirname, "..");
const SECONDS = Number(argument("--seconds") ?? 10);
const CONNECTIONS = (argument("--connections") ?? "8,32,64").split(",").map(Number);
const ROUNDS = Number(argument("--rounds") ?? 3);
const CACHE_OFF = process.argv.includes("--cache-off");
const VIA_NEXT = process.argv.includes("--via-next");

type Sample = { reqPerSec: number; p50: number; p99: number; failed: number };
type Row = Sample & { target: string; connections: number; rounds: number[] };
type Target = { name: string; url: string; headers: Record<string, string> };

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : Math.round((sorted[mid - 1]! + sorted[mid]!) / 2);
}

async function load(target: Target, connections: number, seconds: number): Promise<Sample> {
  const result = await autocannon({ url: target.url, connections, duration: seconds, headers: target.headers });
  return {
    reqPerSec: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    failed: result.non2xx + result.errors + result.timeouts,
  };
}

async function fixture(client: pg.Client) {
  const { rows } = await client.query<{ userId: string; slug: string; workspaceId: string; projectId: string }>(
    `SELECT m."userId", w.slug, w.id AS "workspaceId",
            (SELECT p.id FROM "Project" p WHERE p."workspaceId" = w.id ORDER BY p.key LIMIT 1) AS "projectId"
       FROM "Workspace" w JOIN "Membership" m ON m."workspaceId" = w.id AND m.role = 'OWNER'
      WHERE w.slug = 'bench' LIMIT 1`,
  );
  if (!rows[0]) throw new Error("no 'bench' workspace: run npm run bench:generate first");
  return rows[0];
}

async function startCeiling(databaseUrl: string): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(process.execPath, ["--import", "tsx", path.join(root, "bench/ceiling.ts")], {
    cwd: root,
    detached: true,
    stdio: "ignore",
    env: { ...process.env, DATABASE_URL: databaseUrl, PORT: String(port), POOL_SIZE: "10" },
  });
  const url = `http://127.0.0.1:${port}`;
  await waitUntilHealthy(`${url}/health`, child);
  return { url, child };
}

async function main(): Promise<void> {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error("DATABASE_URL is not set");
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const { userId, slug, workspaceId, projectId } = await fixture(client);
  const sessionToken = randomBytes(32).toString("hex");
  await client.query(
    `INSERT INTO "Session" ("sessionToken", "userId", expires, "updatedAt") VALUES ($1, $2, $3, now())`,
    [sessionToken, userId, new Date(Date.now() + 3_600_000)],
  );
  const input = encodeURIComponent(JSON.stringify(superjson.serialize({ workspaceSlug: slug, filter: { projectId } })));
  const cookie = { cookie: `authjs.session-token=${sessionToken}` };
  const children: ChildProcess[] = [];
  const samples = new Map<string, Sample[]>();
  const cache = process.env.REDIS_URL ? "Redis" : "memory";
  try {
    const ceiling = await startCeiling(databaseUrl);
    children.push(ceiling.child);
    const lanes = await startServer(databaseUrl);
    children.push(lanes.child);
    const targets: Target[] = [
      {
        name: "ceiling: list only",
        url: `${ceiling.url}/list?workspaceId=${workspaceId}&projectId=${projectId}`,
        headers: {},
      },
      {
        name: "ceiling: session + list",
        url: `${ceiling.url}/list-authed?workspace=${slug}&projectId=${projectId}`,
        headers: cookie,
      },
      {
        name: `Lanes task.list (cache: ${cache})`,
        url: `${lanes.url}/api/trpc/task.list?input=${input}`,
        headers: cookie,
      },
      { name: "Lanes /api/health", url: `${lanes.url}/api/health`, headers: {} },
    ];
    if (CACHE_OFF) {
      const uncached = await startServer(databaseUrl, { CACHE_DISABLED: "true" });
      children.push(uncached.child);
      targets.push({
        name: "Lanes task.list (cache off)",
        url: `${uncached.url}/api/trpc/task.list?input=${input}`,
        headers: cookie,
      });
    }
    if (VIA_NEXT) {
      const throughNext = await startServer(databaseUrl, {}, "next");
      children.push(throughNext.child);
      targets.push({
        name: `Lanes task.list via Next's route (cache: ${cache})`,
        url: `${throughNext.url}/api/trpc/task.list?input=${input}`,
        headers: cookie,
      });
    }
    for (const target of targets) await load(target, 8, 3); // warm-up: JIT, pools, caches
    for (let round = 0; round < ROUNDS; round++) {
      for (const connections of CONNECTIONS) {
        for (const target of targets) {
          const key = `${target.name}|${connections}`;
          samples.set(key, [...(samples.get(key) ?? []), await load(target, connections, SECONDS)]);
        }
      }
    }
  } finally {
    for (const child of children) stopServer(child);
    await client.query(`DELETE FROM "Session" WHERE "sessionToken" = $1`, [sessionToken]);
    await client.end();
  }
  const rows: Row[] = [...samples].map(([key, runs]) => {
    const [target = "", connections = "0"] = key.split("|");
    return {
      target,
      connections: Number(connections),
      reqPerSec: median(runs.map((r) => r.reqPerSec)),
      p50: median(runs.map((r) => r.p50)),
      p99: median(runs.map((r) => r.p99)),
      failed: runs.reduce((sum, r) => sum + r.failed, 0),
      rounds: runs.map((r) => r.reqPerSec),
    };
  });
  const goal = CONNECTIONS.map((connections) => {
    const of = (prefix: string) => rows.find((r) => r.connections === connections && r.target.startsWith(prefix));
    const raw = of("ceiling: list only");
    const lanes = of("Lanes task.list");
    return {
      connections,
      throughput: raw && lanes ? Math.round((lanes.reqPerSec / raw.reqPerSec) * 100) / 100 : null,
      p99: raw && lanes ? Math.round((lanes.p99 / raw.p99) * 100) / 100 : null,
    };
  });
  mkdirSync(path.join(root, "bench", "results"), { recursive: true });
  const out = { at: new Date().toISOString(), seconds: SECONDS, rounds: ROUNDS, node: process.version, rows, goal };
  writeFileSync(path.join(root, "bench", "results", "throughput.json"), `${JSON.stringify(out, null, 2)}\n`);
  process.stdout.write(
    `\n| target | conns | req/s (median) | rounds | p50 ms | p99 ms | failed |\n|---|---:|---:|---|---:|---:|---:|\n${rows
      .sort((a, b) => a.connections - b.connections)
      .map(
        (r) =>
          `| ${r.target} | ${r.connections} | ${r.reqPerSec} | ${r.rounds.join(", ")} | ${r.p50} | ${r.p99} | ${r.failed} |`,
      )
      .join("\n")}\n\n${goal
      .map(
        (g) =>
          `${g.connections} connections: Lanes task.list = ${g.throughput}× the ceiling's throughput (goal ≥ 0.5), p99 ${g.p99}× (goal ≤ 2)`,
      )
      .join("\n")}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
