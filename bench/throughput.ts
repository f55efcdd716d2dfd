/**
 * Throughput under load of what every request pays for before its procedure's own work: the
 * session, membership and role lookups that the request cache serves. The first page of
 * `task.list` over HTTP on the production build (32 connections, autocannon), with the cache off
 * (CACHE_DISABLED) and on (Redis when REDIS_URL is set, else process memory): two servers up at once,
 * measured in alternating rounds of the same run (medians reported), and `/api/health` on each (no
 * session, no database) as the ceiling of the HTTP path.
 *
 *   DATABASE_URL=…/lanes_bench [REDIS_URL=redis://127.0.0.1:6379] npm run bench:throughput
 *   … -- --seconds 20 --connections 32
 *
 * Needs `npm run build` and the data set from bench/generate.ts. Writes bench/results/throughput.json.
 */
import "./quiet";
import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import autocannon from "autocannon";
import pg from "pg";
import superjson from "superjson";
import { argument } from "./cli";
import { startServer, stopServer } from "./server";

const root = path.resolve(import.meta.dirname, "..");
const SECONDS = Number(argument("--seconds") ?? 15);
const CONNECTIONS = Number(argument("--connections") ?? 32);
const ROUNDS = Number(argument("--rounds") ?? 3);

type Row = {
  cache: string;
  case: string;
  reqPerSec: number;
  p50: number;
  p99: number;
  non2xx: number;
  /** req/s of each round. */
  rounds?: number[];
};

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : Math.round((sorted[mid - 1]! + sorted[mid]!) / 2);
}

async function load(url: string, headers: Record<string, string>, seconds: number) {
  const result = await autocannon({ url, connections: CONNECTIONS, duration: seconds, headers });
  return {
    reqPerSec: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx + result.errors + result.timeouts,
  };
}

async function fixture(client: pg.Client) {
  const { rows } = await client.query<{ userId: string; slug: string; projectId: string }>(
    `SELECT m."userId", w.slug, (SELECT p.id FROM "Project" p WHERE p."workspaceId" = w.id ORDER BY p.key LIMIT 1) AS "projectId"
       FROM "Workspace" w JOIN "Membership" m ON m."workspaceId" = w.id AND m.role = 'OWNER'
      WHERE w.slug = 'bench' LIMIT 1`,
  );
  if (!rows[0]) throw new Error("no 'bench' workspace: run npm run bench:generate first");
  return rows[0];
}

async function main(): Promise<void> {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error("DATABASE_URL is not set");
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const { userId, slug, projectId } = await fixture(client);
  const sessionToken = randomBytes(32).toString("hex");
  await client.query(
    `INSERT INTO "Session" ("sessionToken", "userId", expires, "updatedAt") VALUES ($1, $2, $3, now())`,
    [sessionToken, userId, new Date(Date.now() + 3_600_000)],
  );
  const input = encodeURIComponent(JSON.stringify(superjson.serialize({ workspaceSlug: slug, filter: { projectId } })));
  const headers = { cookie: `authjs.session-token=${sessionToken}` };
  const store = process.env.REDIS_URL ? "Redis" : "memory";
  const modes = [
    { cache: "off", env: { CACHE_DISABLED: "true" } },
    { cache: `on (${store})`, env: { CACHE_DISABLED: "" } },
  ];
  const samples = new Map<string, Array<Omit<Row, "cache" | "case">>>();
  const servers: Array<{ cache: string; url: string; child: ChildProcess }> = [];
  try {
    for (const mode of modes) servers.push({ cache: mode.cache, ...(await startServer(databaseUrl, mode.env)) });
    for (const { url } of servers) await load(`${url}/api/trpc/task.list?input=${input}`, headers, 3); // warm-up
    // Rounds alternate the servers, so drift on a shared machine hits both alike; medians are reported.
    for (let round = 0; round < ROUNDS; round++) {
      for (const { cache, url } of servers) {
        const cases: Array<[string, string, Record<string, string>]> = [
          ["task.list first page", `${url}/api/trpc/task.list?input=${input}`, headers],
          ["/api/health (ceiling)", `${url}/api/health`, {}],
        ];
        for (const [name, target, sent] of cases) {
          const key = `${cache}|${name}`;
          samples.set(key, [...(samples.get(key) ?? []), await load(target, sent, SECONDS)]);
        }
      }
    }
  } finally {
    for (const { child } of servers) stopServer(child);
    await client.query(`DELETE FROM "Session" WHERE "sessionToken" = $1`, [sessionToken]);
    await client.end();
  }
  const rows: Row[] = [...samples].map(([key, runs]) => {
    const [cache = "", name = ""] = key.split("|");
    return {
      cache,
      case: name,
      reqPerSec: median(runs.map((r) => r.reqPerSec)),
      p50: median(runs.map((r) => r.p50)),
      p99: median(runs.map((r) => r.p99)),
      non2xx: runs.reduce((sum, r) => sum + r.non2xx, 0),
      rounds: runs.map((r) => r.reqPerSec),
    };
  });
  mkdirSync(path.join(root, "bench", "results"), { recursive: true });
  const out = {
    at: new Date().toISOString(),
    seconds: SECONDS,
    connections: CONNECTIONS,
    rounds: ROUNDS,
    node: process.version,
    rows,
  };
  writeFileSync(path.join(root, "bench", "results", "throughput.json"), `${JSON.stringify(out, null, 2)}\n`);
  process.stdout.write(
    `\n| cache | case | req/s (median) | rounds | p50 ms | p99 ms | non-2xx |\n|---|---|---:|---|---:|---:|---:|\n${rows
      .map(
        (r) =>
          `| ${r.cache} | ${r.case} | ${r.reqPerSec} | ${r.rounds?.join(", ")} | ${r.p50} | ${r.p99} | ${r.non2xx} |`,
      )
      .join("\n")}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
