/**
 * Soak: a production server under a steady mixed workload for a long time (default 10 minutes):
 * several people in several workspaces (the 1M-task `bench` workspace and three small ones made
 * here) listing, opening, searching, creating, editing and commenting, over HTTP with session
 * cookies, rate limits on. Reports per operation p50/p95/p99 and failures (the requirement: none),
 * and the server's heap and resident memory after warm-up and at the end, read from its own
 * /api/metrics (the requirement: flat).
 *
 *   DATABASE_URL=…/lanes_bench [REDIS_URL=…] npm run bench:soak -- --minutes 10 --workers 8
 *
 * Needs `npm run build` and the data set from bench/generate.ts. Writes bench/results/soak.json.
 */
import "./quiet";
import { randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { argument } from "./cli";
import { startServer, stopServer } from "./server";
import { percentile, trpcClient } from "./http-client";

const root = path.resolve(import.meta.dirname, "..");
const MINUTES = Number(argument("--minutes") ?? 10);
const WORKERS = Number(argument("--workers") ?? 8);
const METRICS_TOKEN = "soak-metrics-token-0123456789";

type Person = { cookie: string; slug: string; projectId: string };

/** Heap used and resident memory from the server's own metrics. */
async function memory(url: string): Promise<{ heapUsedMb: number; rssMb: number }> {
  const text = await (
    await fetch(`${url}/api/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })
  ).text();
  const lines = text.split("\n");
  const sum = (prefix: string) =>
    lines.filter((l) => l.startsWith(prefix)).reduce((total, l) => total + Number(l.slice(l.lastIndexOf(" ") + 1)), 0);
  const mb = (bytes: number) => Math.round(bytes / 1e5) / 10;
  return {
    heapUsedMb: mb(sum("lanes_nodejs_heap_space_size_used_bytes{")),
    rssMb: mb(sum("lanes_process_resident_memory_bytes ")),
  };
}

async function people(db: pg.Client, url: string): Promise<Person[]> {
  const { rows } = await db.query<{ userId: string; slug: string; projectId: string }>(
    `SELECT m."userId", w.slug, (SELECT p.id FROM "Project" p WHERE p."workspaceId" = w.id ORDER BY p.key LIMIT 1) AS "projectId"
       FROM "Workspace" w JOIN "Membership" m ON m."workspaceId" = w.id
      WHERE w.slug = 'bench' AND m.role IN ('OWNER', 'ADMIN', 'MEMBER') ORDER BY m."userId" LIMIT $1`,
    [WORKERS],
  );
  if (!rows.length) throw new Error("no 'bench' workspace: run npm run bench:generate first");
  const out: Person[] = [];
  for (const row of rows) {
    const token = randomBytes(32).toString("hex");
    await db.query(
      `INSERT INTO "Session" ("sessionToken", "userId", expires, "updatedAt") VALUES ($1, $2, now() + interval '1 day', now())`,
      [token, row.userId],
    );
    const cookie = `authjs.session-token=${token}`;
    out.push({ cookie, slug: row.slug, projectId: row.projectId });
    // Each person also owns a small workspace of their own.
    const call = trpcClient(url, cookie);
    const slug = `soak-${randomBytes(3).toString("hex")}`;
    await call("workspace.create", { name: `Soak ${slug}`, slug }, "mutation");
    const project = (await call("project.create", { workspaceSlug: slug, key: "SOAK", name: "Soak" }, "mutation")) as {
      id: string;
    };
    out.push({ cookie, slug, projectId: project.id });
  }
  return out;
}

const WORDS = ["deploy", "cache timeout", "theme", "error", "sync", "xyzzy"];

async function main(): Promise<void> {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error("DATABASE_URL is not set");
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  const { url, child } = await startServer(databaseUrl, { RATE_LIMIT_DISABLED: "", METRICS_TOKEN });
  const latencies = new Map<string, number[]>();
  const failures: string[] = [];
  try {
    const team = await people(db, url);
    const until = { warm: Date.now() + 30_000, end: Date.now() + 30_000 + MINUTES * 60_000 };
    let before: Awaited<ReturnType<typeof memory>> | null = null;

    async function op(name: string, run: () => Promise<unknown>) {
      const started = performance.now();
      try {
        await run();
        if (Date.now() > until.warm) latencies.set(name, [...(latencies.get(name) ?? []), performance.now() - started]);
      } catch (error) {
        failures.push(error instanceof Error ? error.message : String(error));
      }
    }

    async function worker(index: number) {
      // One person per worker, half of them in the big workspace, half in their own small one.
      const me = team[(index * 2 + (index % 2)) % team.length]!;
      const call = trpcClient(url, me.cookie);
      const ws = me.slug;
      let mine: Array<{ id: string; version: number }> = [];
      for (let i = 0; Date.now() < until.end; i++) {
        // Rate limits are on: one person (one worker) stays inside 600 reads and 120 writes a minute.
        await new Promise((r) => setTimeout(r, 150));
        const kind = i % 10;
        if (kind < 4)
          await op("task.list", () =>
            call("task.list", { workspaceSlug: ws, filter: { projectId: me.projectId } }, "query"),
          );
        else if (kind === 4)
          await op("search.tasks", () =>
            call("search.tasks", { workspaceSlug: ws, q: WORDS[i % WORDS.length] }, "query"),
          );
        else if (kind === 5) await op("project.list", () => call("project.list", { workspaceSlug: ws }, "query"));
        else if (kind === 6 && mine.length)
          await op("task.get", () =>
            call("task.get", { workspaceSlug: ws, taskId: mine[i % mine.length]!.id }, "query"),
          );
        else if (kind === 7) {
          await op("task.create", async () => {
            const task = (await call(
              "task.create",
              { workspaceSlug: ws, projectId: me.projectId, title: `Soak ${index}-${i}` },
              "mutation",
            )) as { id: string; version: number };
            mine = [...mine.slice(-19), task];
          });
        } else if (kind === 8 && mine.length) {
          const task = mine[i % mine.length]!;
          await op("task.update", async () => {
            const updated = (await call(
              "task.update",
              { workspaceSlug: ws, taskId: task.id, version: task.version, patch: { title: `Soak edit ${i}` } },
              "mutation",
            )) as { version: number };
            task.version = updated.version;
          });
        } else if (kind === 9 && mine.length)
          await op("comment.create", () =>
            call(
              "comment.create",
              { workspaceSlug: ws, taskId: mine[i % mine.length]!.id, body: `Soak comment ${i}` },
              "mutation",
            ),
          );
      }
    }

    const running = Promise.all(Array.from({ length: WORKERS }, (_, i) => worker(i)));
    await new Promise((r) => setTimeout(r, 30_000));
    before = await memory(url);
    // One sample a minute: a leak shows as a rising floor, not as one high reading (GC comes in waves).
    const samples = [before];
    const sampler = setInterval(() => void memory(url).then((m) => samples.push(m)), 60_000);
    await running;
    clearInterval(sampler);
    await new Promise((r) => setTimeout(r, 5_000)); // idle: let the collector settle, as it had before `before`
    const after = await memory(url);
    const ops = [...latencies].map(([name, values]) => ({
      op: name,
      count: values.length,
      p50: percentile(values, 50),
      p95: percentile(values, 95),
      p99: percentile(values, 99),
    }));
    const out = {
      at: new Date().toISOString(),
      minutes: MINUTES,
      workers: WORKERS,
      failures: failures.length,
      failureSamples: failures.slice(0, 5),
      memory: { afterWarmUp: before, perMinute: samples, atEnd: after },
      ops,
    };
    mkdirSync(path.join(root, "bench", "results"), { recursive: true });
    writeFileSync(path.join(root, "bench", "results", "soak.json"), `${JSON.stringify(out, null, 2)}\n`);
    process.stdout.write(
      `\n| op | calls | p50 ms | p95 ms | p99 ms |\n|---|---:|---:|---:|---:|\n${ops.map((o) => `| ${o.op} | ${o.count} | ${o.p50} | ${o.p95} | ${o.p99} |`).join("\n")}\n\nfailures: ${failures.length}${failures.length ? ` (e.g. ${failures[0]})` : ""}\nmemory after warm-up: heap ${before.heapUsedMb} MB, RSS ${before.rssMb} MB; at the end: heap ${after.heapUsedMb} MB, RSS ${after.rssMb} MB\nheap per minute (MB): ${samples.map((m) => m.heapUsedMb).join(", ")}\n`,
    );
  } finally {
    stopServer(child);
    await db.end();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`soak failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
