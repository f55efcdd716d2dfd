/**
 * GET /api/metrics (with METRICS_TOKEN) and the internal METRICS_PORT server: Prometheus' text
 * format, after sampling the gauges that read live objects — the database pool, the live hub,
 * the job queue's depth.
 */
import { timingSafeEqual } from "node:crypto";
import { db, poolOf } from "@/server/db/client";
import { replicaClients } from "@/server/db/replicas";
import { countWaitingJobs } from "@/server/db/jobs";
import { env } from "@/server/env";
import { runningLiveHub } from "@/server/live/running";
import { withDeadline } from "@/server/deadline";
import { renderMetrics, sampledGauge } from "./metrics";

/** A scrape never waits longer than this for the queue's counts (a busy database leaves them out). */
const QUEUE_SAMPLE_TIMEOUT_MS = 1_000;

const globalForGauges = globalThis as unknown as { lanesGaugesRegistered?: boolean };

/** The gauges read at scrape time; registered once per process. */
export function registerGauges(): void {
  if (globalForGauges.lanesGaugesRegistered) return;
  globalForGauges.lanesGaugesRegistered = true;
  sampledGauge(
    "lanes_db_pool_connections",
    "Database pool connections by database (primary, or a replica's host) and state (in_use, idle), and requests waiting for one (waiting)",
    ["database", "state"],
    () =>
      [{ host: "primary", client: db() }, ...replicaClients()].flatMap(({ host, client }) => {
        const pool = poolOf(client);
        if (!pool) return [];
        return [
          { labels: { database: host, state: "in_use" }, value: pool.totalCount - pool.idleCount },
          { labels: { database: host, state: "idle" }, value: pool.idleCount },
          { labels: { database: host, state: "waiting" }, value: pool.waitingCount },
        ];
      }),
  );
  sampledGauge("lanes_live_subscriptions", "Live update streams (SSE) open on this process", [], () => {
    const hub = runningLiveHub<{ close(): Promise<void>; subscriberCount: number }>();
    return [{ value: hub?.subscriberCount ?? 0 }];
  });
  sampledGauge(
    "lanes_job_queue_jobs",
    "Jobs in the queue (shared by every process) by job and state: created (waiting), retry, active",
    ["job", "state"],
    async () =>
      (await withDeadline(countWaitingJobs(db()), QUEUE_SAMPLE_TIMEOUT_MS, () => new Error("timed out"))).map(
        (row) => ({
          labels: { job: row.name, state: row.state },
          value: Number(row.count),
        }),
      ),
  );
}

/** The exposition, gauges sampled. */
export async function scrape(): Promise<Response> {
  registerGauges();
  const { body, contentType } = await renderMetrics();
  return new Response(body, { headers: { "content-type": contentType, "cache-control": "no-store" } });
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** /api/metrics: off (404) without METRICS_TOKEN; 401 unless `Authorization: Bearer <token>`. */
export async function metricsRoute(req: Request): Promise<Response> {
  const token = env().METRICS_TOKEN;
  const json = (status: number, message: string, headers: Record<string, string> = {}) =>
    Response.json({ error: { message } }, { status, headers: { "cache-control": "no-store", ...headers } });
  if (!token) return json(404, "Metrics are off: set METRICS_TOKEN (or METRICS_PORT for an internal port)");
  const given = /^Bearer (\S+)$/i.exec(req.headers.get("authorization") ?? "")?.[1];
  if (!given || !sameSecret(given, token))
    return json(401, "Send the metrics token: Authorization: Bearer <METRICS_TOKEN>", {
      "www-authenticate": 'Bearer realm="metrics"',
    });
  return scrape();
}
