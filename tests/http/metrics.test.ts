/**
 * Prometheus metrics over real HTTP: /api/metrics needs the token; the internal METRICS_PORT
 * serves the same without one; a procedure call, an HTTP request and the database pool show up.
 */
import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { signIn, trpcMutation, trpcQuery, uniqueEmail } from "../helpers/http";

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
