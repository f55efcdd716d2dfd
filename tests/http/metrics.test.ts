/**
 * Prometheus metrics over real HTTP: /api/metrics needs the token; the internal METRICS_PORT
 * serves the same without one; a procedure call, an HTTP request and the database pool show up;
 * and each counter, histogram and gauge the issue names moves when its event really happens (a
 * cache miss then hit, a 429, a job run, an SSE stream opened and closed, a request left waiting
 * for a pool connection), read as a change between two scrapes: the server is shared.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { beforeAll, describe, expect, inject, it } from "vitest";
import {
  newestMailLink,
  openLiveStream,
  readUntil,
  signIn,
  trpcMutation,
  trpcQuery,
  uniqueEmail,
  type TrpcResponse,
} from "../helpers/http";

let baseUrl = "";

beforeAll(() => {
  baseUrl = inject("baseUrl");
});

/** The value of one sample line (`name{labels} value`) whose labels include all of `labels`. */
function sample(exposition: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of exposition.split("\n")) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const wanted = Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`));
    if (wanted) return Number(line.slice(line.lastIndexOf(" ") + 1));
  }
  return undefined;
}

async function scrape(): Promise<string> {
  const res = await fetch(`${baseUrl}/api/metrics`, { headers: { authorization: `Bearer ${inject("metricsToken")}` } });
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
  return res.text();
}

describe("/api/metrics", () => {
  it("refuses a scraper without the token (401), or with another one, and never leaks a metric", async () => {
    for (const authorization of [undefined, "Bearer wrong-token-0123456789", `Basic ${inject("metricsToken")}`]) {
      const res = await fetch(`${baseUrl}/api/metrics`, { headers: authorization ? { authorization } : {} });
      expect(res.status).toBe(401);
      expect(res.headers.get("www-authenticate")).toContain("Bearer");
      const body = await res.text();
      expect(body).not.toContain("lanes_");
      expect(JSON.parse(body)).toEqual({ error: { message: expect.stringContaining("METRICS_TOKEN") } });
    }
  });

  it("counts procedure calls by procedure and outcome, and HTTP requests by route group", async () => {
    const cookie = await signIn(baseUrl, uniqueEmail("metrics"));
    const slug = `met-${randomBytes(4).toString("hex")}`;
    expect((await trpcMutation(baseUrl, "workspace.create", { name: "Metrics", slug }, cookie)).status).toBe(200);
    const before = await scrape();
    const okBefore =
      sample(before, "lanes_procedure_duration_seconds_count", { procedure: "project.list", outcome: "ok" }) ?? 0;
    const missingBefore =
      sample(before, "lanes_procedure_duration_seconds_count", { procedure: "project.list", outcome: "NOT_FOUND" }) ??
      0;
    for (let i = 0; i < 3; i++)
      expect((await trpcQuery(baseUrl, "project.list", { workspaceSlug: slug }, cookie)).status).toBe(200);
    expect((await trpcQuery(baseUrl, "project.list", { workspaceSlug: "no-such-workspace" }, cookie)).status).toBe(404);
    const after = await scrape();
    expect(sample(after, "lanes_procedure_duration_seconds_count", { procedure: "project.list", outcome: "ok" })).toBe(
      okBefore + 3,
    );
    expect(
      sample(after, "lanes_procedure_duration_seconds_count", { procedure: "project.list", outcome: "NOT_FOUND" }),
    ).toBe(missingBefore + 1);
    expect(
      sample(after, "lanes_http_request_duration_seconds_count", { route: "trpc", method: "GET", status: "2xx" }),
    ).toBeGreaterThan(0);
    expect(
      sample(after, "lanes_http_request_duration_seconds_count", { route: "trpc", status: "4xx" }),
    ).toBeGreaterThan(0);
  });

  it("reports the database pool, live streams, the job queue and the process", async () => {
    const text = await scrape();
    for (const state of ["in_use", "idle", "waiting"])
      expect(sample(text, "lanes_db_pool_connections", { state })).toBeGreaterThanOrEqual(0);
    expect(sample(text, "lanes_live_subscriptions")).toBeGreaterThanOrEqual(0);
    expect(text).toContain("# TYPE lanes_job_queue_jobs gauge");
    expect(sample(text, "lanes_nodejs_eventloop_lag_p99_seconds")).toBeGreaterThan(0);
    expect(sample(text, "lanes_process_resident_memory_bytes")).toBeGreaterThan(0);
  });

  it("is served without a token on the internal METRICS_PORT, and nothing else is", async () => {
    const res = await fetch(inject("metricsUrl"));
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("lanes_procedure_duration_seconds_bucket");
    expect((await fetch(inject("metricsUrl").replace(/\/metrics$/, "/api/trpc/system.me"))).status).toBe(404);
  });
});

/** The answer's data, or the test fails with what the server said. */
function expectData<T>(res: TrpcResponse<T>): T {
  if (!res.ok) throw new Error(`expected data, got HTTP ${res.status}: ${res.text}`);
  return res.data;
}

/** One sample from a fresh scrape (0 while the series has not been created yet). */
async function current(name: string, labels: Record<string, string> = {}): Promise<number> {
  return sample(await scrape(), name, labels) ?? 0;
}

describe("metrics that move when their event happens", () => {
  let owner = "";
  let slug = "";

  beforeAll(async () => {
    owner = await signIn(baseUrl, uniqueEmail("metrics-moves"));
    slug = `metm-${randomBytes(4).toString("hex")}`;
    expectData(await trpcMutation(baseUrl, "workspace.create", { name: "Metrics moves", slug }, owner));
  });

  it("counts request-cache reads: a first read of a workspace misses, a repeat read hits", async () => {
    // A workspace no request has read yet: its entry and the caller's membership are not cached.
    const fresh = `metc-${randomBytes(4).toString("hex")}`;
    expectData(await trpcMutation(baseUrl, "workspace.create", { name: "Cache", slug: fresh }, owner));
    const missesBefore = await current("lanes_cache_reads_total", { result: "miss" });
    expectData(await trpcQuery(baseUrl, "project.list", { workspaceSlug: fresh }, owner));
    // The workspace and the membership, read from PostgreSQL (and filled, without waiting).
    expect(await current("lanes_cache_reads_total", { result: "miss" })).toBeGreaterThanOrEqual(missesBefore + 2);
    // Once the fill has landed, one call reads the session, the workspace and the membership from the cache.
    await expect
      .poll(async () => {
        const hitsBefore = await current("lanes_cache_reads_total", { result: "hit" });
        expectData(await trpcQuery(baseUrl, "project.list", { workspaceSlug: fresh }, owner));
        return (await current("lanes_cache_reads_total", { result: "hit" })) - hitsBefore;
      })
      .toBeGreaterThanOrEqual(3);
  });

  it("counts rate-limit refusals by policy", async () => {
    // A key of its own with a budget of one call a minute: no one else's budget is spent.
    const { secret } = expectData(
      await trpcMutation<{ secret: string }>(
        baseUrl,
        "apiKey.create",
        { workspaceSlug: slug, name: "Metrics limit", scope: "read", rateLimitPerMinute: 1 },
        owner,
      ),
    );
    const headers = { authorization: `Bearer ${secret}` };
    const before = await current("lanes_rate_limit_rejections_total", { policy: "keyRead" });
    expect((await trpcQuery(baseUrl, "project.list", { workspaceSlug: slug }, { headers })).status).toBe(200);
    expect((await trpcQuery(baseUrl, "project.list", { workspaceSlug: slug }, { headers })).status).toBe(429);
    expect(await current("lanes_rate_limit_rejections_total", { policy: "keyRead" })).toBeGreaterThanOrEqual(
      before + 1,
    );
  });

  it("times background jobs: an invitation's email job, run by the server's inline worker", async () => {
    const labels = { job: "mail.invitation", outcome: "ok" };
    const before = await current("lanes_job_duration_seconds_count", labels);
    const invitee = uniqueEmail("metrics-invitee");
    expectData(
      await trpcMutation(baseUrl, "invitation.create", { workspaceSlug: slug, email: invitee, role: "VIEWER" }, owner),
    );
    // The job ran: its email is in the mailbox, and its run is in the histogram.
    await newestMailLink(baseUrl, invitee, /^\/invite\/[A-Za-z0-9_-]+$/);
    await expect
      .poll(() => current("lanes_job_duration_seconds_count", labels), { timeout: 15_000 })
      .toBeGreaterThanOrEqual(before + 1);
  });

  it("counts a live stream while it is open, and not after the client leaves", async () => {
    const streams = () => current("lanes_live_subscriptions");
    const before = await streams();
    const leave = new AbortController();
    const { res, reader } = await openLiveStream(baseUrl, slug, owner, leave.signal);
    try {
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
      // The stream's first event says it is subscribed.
      expect(await readUntil(reader, /"kind":"ready"/)).toMatch(/"kind":"ready"/);
      await expect.poll(streams).toBeGreaterThanOrEqual(before + 1);
    } finally {
      leave.abort();
    }
    await expect.poll(streams, { timeout: 10_000 }).toBeLessThanOrEqual(before);
  });

  it("reports requests waiting for a database connection while every one is busy", async () => {
    const project = expectData(
      await trpcMutation<{ id: string }>(
        baseUrl,
        "project.create",
        { workspaceSlug: slug, key: "MET", name: "Pool" },
        owner,
      ),
    );
    const task = expectData(
      await trpcMutation<{ id: string; version: number }>(
        baseUrl,
        "task.create",
        { workspaceSlug: slug, projectId: project.id, title: "Held" },
        owner,
      ),
    );
    // Hold the task's row: each update of it keeps its pool connection while it waits for the lock
    // (at most DATABASE_STATEMENT_TIMEOUT_MS), so twice the pool's size (5) leaves some waiting for one.
    const holder = new pg.Client({ connectionString: inject("databaseUrl") });
    await holder.connect();
    let updates: Array<Promise<number>> = [];
    try {
      await holder.query("BEGIN");
      await holder.query(`SELECT id FROM "Task" WHERE id = $1 FOR UPDATE`, [task.id]);
      updates = Array.from({ length: 10 }, (_, i) =>
        trpcMutation(
          baseUrl,
          "task.update",
          { workspaceSlug: slug, taskId: task.id, version: task.version, patch: { title: `Edited ${i}` } },
          owner,
        ).then((res) => res.status),
      );
      let inUse = 0;
      await expect
        .poll(
          async () => {
            const text = await scrape();
            inUse = sample(text, "lanes_db_pool_connections", { database: "primary", state: "in_use" }) ?? 0;
            return sample(text, "lanes_db_pool_connections", { database: "primary", state: "waiting" }) ?? 0;
          },
          { timeout: 5_000 },
        )
        .toBeGreaterThanOrEqual(1);
      // A request waits only when the whole pool (DATABASE_POOL_SIZE=5 in tests/setup/app-server.ts) is in use.
      expect(inUse).toBeGreaterThanOrEqual(5);
    } finally {
      await holder.query("ROLLBACK").catch(() => undefined);
      await holder.end();
      await Promise.allSettled(updates);
    }
    // Once the row is free they all finish: one edit lands, the rest conflict or were timed out (503).
    for (const status of await Promise.all(updates)) expect([200, 409, 503]).toContain(status);
  });
});
