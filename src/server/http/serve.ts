/**
 * Lanes' HTTP server: Node's http server with Next's request handler inside (a Next "custom
 * server"). It exists for what `next start` cannot do: tell the app the client's real address.
 * Route handlers never see the socket, and Next fills X-Forwarded-For with the socket address
 * only when the client did not send one — so behind plain `next start` anyone can pick their own
 * address and escape per-IP limits (docs/decisions/0020-client-ip.md).
 *
 *   tsx src/server/http/serve.ts dev|start --port 3000 --hostname localhost [--api next|direct]
 *
 * It also answers /api/trpc itself, outside Next's route pipeline (`--api direct`, the default for
 * `start`; docs/decisions/0043-trpc-outside-nexts-route-pipeline.md). `dev` keeps Next's route by
 * default, which recompiles when a router changes; the HTTP tests pass `--api direct` to cover this path.
 *
 * Used by the launcher (scripts/lanes.ts) and the test harness in place of `next dev` / `next start`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { parseArgs } from "node:util";
// Before Next: it captures the native Date that Next's server code later wraps.
import { restoreNativeDate } from "./native-date";
import next from "next";
import nextConfig from "../../../next.config";
import { parseEnv } from "@/server/env";
import { createEdgeToken, stampClientAddress, type ProxyTrust } from "./client-ip";
import { repairPathEncoding } from "./url";
import { stopJobQueue } from "@/server/jobs/running";
import { closeLiveHub } from "@/server/live/running";
import { metrics, routeGroup } from "@/server/observability/metrics";
import { isDraining, markDraining } from "./lifecycle";

/** In-flight requests get this long to finish after SIGTERM/SIGINT. */
const DRAIN_TIMEOUT_MS = 10_000;

function proxyTrust(config: { TRUSTED_PROXY_HOPS: number; TRUSTED_PROXY_HEADER?: string }): ProxyTrust {
  return config.TRUSTED_PROXY_HEADER ? { header: config.TRUSTED_PROXY_HEADER } : { hops: config.TRUSTED_PROXY_HOPS };
}

/** One histogram sample per request, by route group and status class, when the response ends. */
function observeRequest(req: IncomingMessage, res: ServerResponse): void {
  const started = performance.now();
  const route = routeGroup(req.url ?? "/");
  res.once("close", () => {
    // Live streams (SSE) last minutes: their duration says nothing about latency.
    if (res.getHeader("content-type")?.toString().startsWith("text/event-stream")) return;
    metrics().httpRequests.observe(
      { route, method: req.method ?? "GET", status: `${Math.floor(res.statusCode / 100)}xx` },
      (performance.now() - started) / 1000,
    );
  });
}

/** Metrics without a token on a port of their own (METRICS_PORT), for a scraper inside the network. */
async function serveMetrics(port: number, hostname: string) {
  const { scrape } = await import("@/server/observability/metrics-endpoint");
  const server = createServer((req, res) => {
    if (req.url !== "/metrics") {
      res.writeHead(404, { "content-type": "text/plain" }).end("metrics are at /metrics\n");
      return;
    }
    scrape()
      .then(async (response) => {
        res.writeHead(response.status, Object.fromEntries(response.headers)).end(await response.text());
      })
      .catch((error: unknown) => {
        process.stderr.write(`metrics scrape failed: ${String(error)}\n`);
        if (!res.headersSent) res.writeHead(503, { "content-type": "text/plain" });
        res.end("metrics unavailable\n");
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, hostname, resolve);
  });
  process.stdout.write(`  metrics on http://${hostname}:${port}/metrics\n`);
  return server;
}

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      port: { type: "string", default: process.env.PORT ?? "3000" },
      hostname: { type: "string", default: process.env.HOST ?? "localhost" },
      api: { type: "string" },
    },
  });
  const mode = positionals[0];
  if (mode !== "dev" && mode !== "start")
    throw new Error("usage: serve.ts dev|start [--port N] [--hostname H] [--api next|direct]");
  const apiMode = values.api ?? (mode === "start" ? "direct" : "next");
  if (apiMode !== "direct" && apiMode !== "next") throw new Error(`--api is next or direct, not ${apiMode}`);
  const port = Number(values.port);
  const hostname = values.hostname;
  // Fails here, naming the variable, before Next spends seconds starting.
  const config = parseEnv(process.env);
  const trust = proxyTrust(config);

  const edgeToken = createEdgeToken();
  const app = next({ dev: mode === "dev", hostname, port, dir: process.cwd() });
  const handle = app.getRequestHandler();
  await app.prepare();
  restoreNativeDate(nextConfig);
  // Loaded after Next has run src/instrumentation.ts, so tracing is registered before the API's modules load.
  const api = apiMode === "direct" ? await import("./api-server") : null;
  const pages = await import("./page-budget");
  /** A page, once its caller's budget allows it (./page-budget.ts). */
  const servePage = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const counted = pages.isPageRequest(req.url, req.headers);
    const wait = counted ? await pages.pageRefusal(req) : null;
    if (wait !== null) return pages.sendTooManyRequests(res, wait);
    pages.markPageCounted(req, counted, edgeToken);
    return handle(req, res);
  };
  const ownOrigin = `http://localhost:${port}`;

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    observeRequest(req, res);
    // Shutting down: answer, then close the connection, so keep-alive clients reconnect to another instance.
    if (isDraining()) res.setHeader("connection", "close");
    stampClientAddress(req, trust, edgeToken);
    // Next answers a path it cannot percent-decode with a bare text/plain 400; repaired, it reaches
    // the route (for /api/trpc: a JSON NOT_FOUND naming the odd path).
    if (req.url) req.url = repairPathEncoding(req.url);
    const answered = api?.isApiRequest(req.method, req.url)
      ? api.serveApiRequest(req, res, ownOrigin)
      : servePage(req, res);
    answered.catch((error: unknown) => {
      // Next and the API answer their own errors; this is the net under them (an unhandled rejection would end the process).
      process.stderr.write(`request handler failed: ${error instanceof Error ? error.stack : String(error)}\n`);
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
      res.end('{"error":{"message":"Internal server error"}}');
    });
  });
  // Next's dev server attaches its HMR websocket handler to this server on the first request.
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, hostname, resolve);
  });
  process.stdout.write(
    `▲ Lanes ready on http://${hostname}:${port} (${mode === "dev" ? "development" : "production"})\n`,
  );
  const metricsServer = config.METRICS_PORT ? await serveMetrics(config.METRICS_PORT, hostname) : null;

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    const started = performance.now();
    process.stdout.write(`${signal}: draining (readiness now 503; in-flight requests finish)\n`);
    markDraining();
    const forced = setTimeout(() => {
      process.stderr.write(`drain took longer than ${DRAIN_TIMEOUT_MS} ms: exiting with requests still open\n`);
      process.exit(1);
    }, DRAIN_TIMEOUT_MS);
    forced.unref();
    server.close(() => {
      // Jobs running in this process (JOB_WORKERS=inline) finish or are released, within the drain time;
      // then Next, then the database pool.
      void stopJobQueue(DRAIN_TIMEOUT_MS - 2_000)
        .catch((error: unknown) => process.stderr.write(`stopping the job queue failed: ${String(error)}\n`))
        .then(() => app.close())
        .then(async () => {
          const [{ closeDb }, { closeReplicas }] = await Promise.all([
            import("@/server/db/client"),
            import("@/server/db/replicas"),
          ]);
          await Promise.all([closeDb(), closeReplicas()]);
        })
        .catch((error: unknown) => process.stderr.write(`closing failed: ${String(error)}\n`))
        .finally(() => {
          process.stdout.write(`drained in ${Math.round(performance.now() - started)} ms\n`);
          process.exit(0);
        });
    });
    // Live streams never finish on their own: end them now (clients reconnect elsewhere and resume).
    void closeLiveHub().catch((error: unknown) =>
      process.stderr.write(`closing live streams failed: ${String(error)}\n`),
    );
    // Idle keep-alive connections would hold close() open until they time out; busy ones close
    // after their response (Connection: close above).
    server.closeIdleConnections();
    metricsServer?.close();
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
