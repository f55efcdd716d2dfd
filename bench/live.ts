/**
 * Background work and live updates, measured on the production build:
 *
 * 1. Live delivery latency: N subscribers (default 500) hold `live.workspace` SSE streams on one
 *    server; one writer updates a task M times, one after another, over HTTP. For each update and each
 *    subscriber: the time from sending the write to the subscriber reading its event (p50/p99), and
 *    how many events arrived (all of them, once, is the requirement).
 * 2. Enqueue overhead per write: `task.update` p50/p99 with no webhook, then with one webhook (each
 *    write also inserts a delivery and its job in the same transaction). Workers are off in this
 *    server, so only the enqueue is measured, and both phases run in the same run on the same data.
 *
 *   DATABASE_URL=… npm run bench:live -- --subscribers 500 --updates 100
 *
 * Uses the first workspace with a task (the demo seed's or bench/generate.ts's). Needs `npm run build`.
 * Writes bench/results/live.json.
 */
import "./quiet";
import { randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import superjson from "superjson";
import { argument } from "./cli";
import { startServer, stopServer } from "./server";
import { percentile, trpcClient } from "./http-client";

const root = path.resolve(import.meta.dirname, "..");
const SUBSCRIBERS = Number(argument("--subscribers") ?? 500);
const UPDATES = Number(argument("--updates") ?? 100);
const WRITES = Number(argument("--writes") ?? 200);

async function fixture(client: pg.Client) {
  const { rows } = await client.query<{ userId: string; slug: string; taskId: string }>(
    `SELECT m."userId", w.slug, t.id AS "taskId"
       FROM "Workspace" w
       JOIN "Membership" m ON m."workspaceId" = w.id AND m.role = 'OWNER'
       JOIN LATERAL (SELECT id FROM "Task" WHERE "workspaceId" = w.id AND "deletedAt" IS NULL LIMIT 1) t ON true
      ORDER BY (w.slug = 'acme') DESC, w."createdAt" LIMIT 1`,
  );
  if (!rows[0]) throw new Error("no workspace with a task: run the seed (npm run db:seed) or npm run bench:generate");
  return rows[0];
}

/** One SSE subscriber: records when each change event (by seq) arrived. */
async function subscribe(url: string, cookie: string, slug: string, arrivals: Map<string, number>[], index: number) {
  const input = encodeURIComponent(JSON.stringify(superjson.serialize({ workspaceSlug: slug })));
  const controller = new AbortController();
  const res = await fetch(`${url}/api/trpc/live.workspace?input=${input}`, {
    headers: { cookie, accept: "text/event-stream" },
    signal: controller.signal,
  });
  const seen = new Map<string, number>();
  arrivals[index] = seen;
  let ready: () => void = () => {};
  const isReady = new Promise<void>((resolve) => (ready = resolve));
  void (async () => {
    const decoder = new TextDecoder();
    let buffer = "";
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = block.split("\n").find((line) => line.startsWith("data: "));
          if (!data) continue;
          const event = (JSON.parse(data.slice(6)) as { json?: { kind?: string; seq?: string } }).json;
          if (event?.kind === "ready") ready();
          if (event?.kind === "change" && event.seq) seen.set(event.seq, performance.now());
        }
      }
    } catch {
      // aborted at the end
    }
  })();
  await isReady;
  return () => controller.abort();
}

async function main(): Promise<void> {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error("DATABASE_URL is not set");
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const { userId, slug, taskId } = await fixture(client);
  const sessionToken = randomBytes(32).toString("hex");
  await client.query(
    `INSERT INTO "Session" ("sessionToken", "userId", expires, "updatedAt") VALUES ($1, $2, $3, now())`,
    [sessionToken, userId, new Date(Date.now() + 3_600_000)],
  );
  const cookie = `authjs.session-token=${sessionToken}`;
  // Workers off: the enqueue is measured, not the sending; the receiver allow-list is never used.
  const server = await startServer(databaseUrl, { JOB_WORKERS: "off", WEBHOOK_ALLOWED_TARGETS: "127.0.0.1" });
  const trpc = trpcClient(server.url, cookie);
  let version = ((await trpc("task.get", { workspaceSlug: slug, taskId }, "query")) as { version: number }).version;
  const update = async (title: string) => {
    const task = (await trpc("task.update", { workspaceSlug: slug, taskId, version, patch: { title } })) as {
      version: number;
    };
    version = task.version;
  };

  try {
    // ── 1. live delivery latency: one subscriber (the baseline), then many ──
    const measureLive = async (subscribers: number) => {
      console.log(`opening ${subscribers} live subscriptions…`);
      const arrivals: Map<string, number>[] = [];
      const closers: (() => void)[] = [];
      for (let i = 0; i < subscribers; i += 50)
        closers.push(
          ...(await Promise.all(
            Array.from({ length: Math.min(50, subscribers - i) }, (_, j) =>
              subscribe(server.url, cookie, slug, arrivals, i + j),
            ),
          )),
        );
      const before = await client.query<{ lastSeq: string }>(
        `SELECT c."lastSeq"::text FROM "WorkspaceEventCounter" c JOIN "Workspace" w ON w.id = c."workspaceId" WHERE w.slug = $1`,
        [slug],
      );
      let seq = BigInt(before.rows[0]?.lastSeq ?? "0");
      const sentAt = new Map<string, number>();
      for (let i = 0; i < UPDATES; i++) {
        seq += 1n;
        sentAt.set(String(seq), performance.now());
        await update(`Live bench ${i} ${randomBytes(2).toString("hex")}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      await new Promise((r) => setTimeout(r, 2_000));
      closers.forEach((close) => close());
      const latencies: number[] = [];
      let missing = 0;
      for (const seen of arrivals)
        for (const [id, sent] of sentAt) {
          const got = seen.get(id);
          if (got === undefined) missing++;
          else latencies.push(got - sent);
        }
      return {
        subscribers,
        updates: UPDATES,
        expected: subscribers * UPDATES,
        received: latencies.length,
        missing,
        p50: percentile(latencies, 50),
        p99: percentile(latencies, 99),
        max: percentile(latencies, 100),
      };
    };
    const live = { baseline: await measureLive(1), loaded: await measureLive(SUBSCRIBERS) };
    console.log("live delivery (write sent → event read, ms)", live);

    // ── 2. enqueue overhead per write ──
    const timeWrites = async () => {
      const times: number[] = [];
      for (let i = 0; i < WRITES; i++) {
        const started = performance.now();
        await update(`Write bench ${i}`);
        times.push(performance.now() - started);
      }
      return { p50: percentile(times, 50), p99: percentile(times, 99) };
    };
    await timeWrites(); // warm-up
    const without = await timeWrites();
    const created = (await trpc("webhook.create", {
      workspaceSlug: slug,
      url: "http://127.0.0.1:9/bench",
      events: ["*"],
    })) as { webhook: { id: string } };
    const withWebhook = await timeWrites();
    await trpc("webhook.delete", { workspaceSlug: slug, webhookId: created.webhook.id });
    const enqueue = { writes: WRITES, withoutWebhook: without, withOneWebhook: withWebhook };
    console.log("task.update over HTTP (ms)", enqueue);

    const out = path.join(root, "bench", "results");
    mkdirSync(out, { recursive: true });
    writeFileSync(path.join(out, "live.json"), JSON.stringify({ live, enqueue }, null, 2) + "\n");
  } finally {
    stopServer(server.child);
    await client.query(`DELETE FROM "Session" WHERE "sessionToken" = $1`, [sessionToken]);
    await client.end();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
