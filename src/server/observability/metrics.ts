/**
 * Prometheus metrics (prom-client), one registry per process (docs/decisions/0040-metrics.md).
 * The custom server (src/server/http/serve.ts) and Next's route bundles load this module
 * separately, so the registry lives on globalThis: one set of series, whoever records.
 *
 * What is counted where: HTTP requests by route group in serve.ts; procedure calls in the tRPC
 * observe middleware; cache reads in cache/cache.ts; rate-limit refusals in the throttle; jobs in
 * jobs/worker.ts. Gauges that read a live object (the pool, the live hub, the queue) are sampled
 * at scrape time through `sampledGauge`, registered by the module that owns the object.
 */
import client from "prom-client";

/** Seconds: from a cached lookup (~1 ms) to a request at its statement timeout (10 s). */
const LATENCY_BUCKETS = [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Jobs run longer: mail over SMTP, webhook deliveries with their 10 s timeout, daily digests. */
const JOB_BUCKETS = [0.01, 0.05, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 300];

function createMetrics() {
  const registry = new client.Registry();
  // Event-loop lag, heap, GC pauses, CPU, open handles: what says a process is struggling.
  client.collectDefaultMetrics({ register: registry, prefix: "lanes_" });
  return {
    registry,
    httpRequests: new client.Histogram({
      name: "lanes_http_request_duration_seconds",
      help: "HTTP requests by route group (trpc, rest, auth, health, metrics, static, page), method and status class",
      labelNames: ["route", "method", "status"] as const,
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    }),
    procedures: new client.Histogram({
      name: "lanes_procedure_duration_seconds",
      help: "tRPC procedure calls (REST included) by procedure, type and outcome (ok or the error code)",
      labelNames: ["procedure", "type", "outcome"] as const,
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    }),
    cacheReads: new client.Counter({
      name: "lanes_cache_reads_total",
      help: "Request-cache entries read, by result (hit, or miss: read from PostgreSQL)",
      labelNames: ["result"] as const,
      registers: [registry],
    }),
    rateLimited: new client.Counter({
      name: "lanes_rate_limit_rejections_total",
      help: "Calls refused with 429 by the rate limiter, by policy",
      labelNames: ["policy"] as const,
      registers: [registry],
    }),
    jobs: new client.Histogram({
      name: "lanes_job_duration_seconds",
      help: "Background jobs run by this process, by job and outcome (ok, failed)",
      labelNames: ["job", "outcome"] as const,
      buckets: JOB_BUCKETS,
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

const globalForMetrics = globalThis as unknown as { lanesMetrics?: Metrics };

export function metrics(): Metrics {
  globalForMetrics.lanesMetrics ??= createMetrics();
  return globalForMetrics.lanesMetrics;
}

type Sample = { labels?: Record<string, string>; value: number };

/**
 * A gauge read when Prometheus scrapes: `sample` returns the current values (a failed or slow
 * sample leaves the gauge out of that scrape rather than failing it). Registering a name again
 * replaces its sampler (a module reloaded in development, a test's second database).
 */
export function sampledGauge(
  name: string,
  help: string,
  labelNames: readonly string[],
  sample: () => Sample[] | Promise<Sample[]>,
): void {
  const { registry } = metrics();
  registry.removeSingleMetric(name);
  new client.Gauge({
    name,
    help,
    labelNames,
    registers: [registry],
    async collect() {
      this.reset();
      try {
        for (const { labels, value } of await sample()) {
          if (labels) this.set(labels, value);
          else this.set(value);
        }
      } catch {
        // Nothing to report this time (e.g. the database is down; /api/health/ready says so).
      }
    },
  });
}

/** The route group a request path belongs to: a small, fixed label set (never the raw path). */
export function routeGroup(path: string): string {
  if (path.startsWith("/api/trpc")) return "trpc";
  if (path.startsWith("/api/v1")) return "rest";
  if (path.startsWith("/api/auth")) return "auth";
  if (path.startsWith("/api/health")) return "health";
  if (path.startsWith("/api/metrics")) return "metrics";
  if (path.startsWith("/api/")) return "api-other";
  if (path.startsWith("/_next/")) return "static";
  return "page";
}

/** The exposition Prometheus reads, and its content type. */
export async function renderMetrics(): Promise<{ body: string; contentType: string }> {
  const { registry } = metrics();
  return { body: await registry.metrics(), contentType: registry.contentType };
}
