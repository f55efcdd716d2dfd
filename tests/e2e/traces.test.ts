/**
 * A request end to end in a trace: a production server exporting OTLP (http/json) to a receiver
 * in this test. One tRPC call's log line names its trace; that trace holds the HTTP server span
 * and the Prisma query spans under it. (No browser here: plain HTTP.)
 */
import path from "node:path";
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { startAppServer, type AppServer } from "../setup/app-server";
import { signIn, trpcMutation, trpcQuery, uniqueEmail } from "../helpers/http";

type Span = { traceId: string; spanId: string; parentSpanId?: string; name: string; kind: number };
type Export = { resourceSpans: Array<{ scopeSpans: Array<{ spans: Span[] }> }> };

const spans: Span[] = [];
let receiver: Server | null = null;
let server: AppServer | null = null;

describe("traces", () => {
  beforeAll(async () => {
    receiver = createServer((req, res) => {
      let body = "";
      req.on("data", (chunk: Buffer) => (body += chunk.toString()));
      req.on("end", () => {
        if (req.url === "/v1/traces") {
          const payload = JSON.parse(body) as Export;
          for (const resource of payload.resourceSpans)
            for (const scope of resource.scopeSpans) spans.push(...scope.spans);
        }
        res.writeHead(200, { "content-type": "application/json" }).end("{}");
      });
    });
    await new Promise<void>((resolve) => receiver!.listen(0, "127.0.0.1", resolve));
    const { port } = receiver.address() as AddressInfo;
    server = await startAppServer({
      mode: "start",
      distDir: ".next",
      logFile: path.resolve(import.meta.dirname, "artifacts", "traces.log"),
      label: "traces test",
      databaseUrl: inject("databaseUrl"),
      extraEnv: {
        NODE_ENV: "production",
        MAIL_TRANSPORT: "mailbox",
        LOG_LEVEL: "info",
        OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
        OTEL_EXPORTER_OTLP_PROTOCOL: "http/json",
        OTEL_BSP_SCHEDULE_DELAY: "200",
      },
    });
  }, 180_000);

  afterAll(async () => {
    await server?.stop();
    await new Promise((resolve) => receiver?.close(resolve));
  });

  it("one call's log line names a trace holding its HTTP span and its database queries", async () => {
    const base = server!.baseUrl;
    const cookie = await signIn(base, uniqueEmail("traces"));
    const slug = `trace-${randomBytes(3).toString("hex")}`;
    expect((await trpcMutation(base, "workspace.create", { name: "Traces", slug }, cookie)).status).toBe(200);
    const requestId = `trace-test-${randomBytes(4).toString("hex")}`;
    const res = await trpcQuery(
      base,
      "project.list",
      { workspaceSlug: slug },
      { cookie, headers: { "x-request-id": requestId } },
    );
    expect(res.status).toBe(200);

    // The procedure's log line: request id and trace id together.
    let line: { traceId?: string; requestId?: string } | undefined;
    await expect
      .poll(() => {
        line = readFileSync(server!.logFile, "utf8")
          .split("\n")
          .filter((l) => l.startsWith("{"))
          .map((l) => JSON.parse(l) as { traceId?: string; requestId?: string; procedure?: string })
          .find((l) => l.requestId === requestId && l.procedure === "project.list");
        return line?.traceId;
      })
      .toMatch(/^[0-9a-f]{32}$/);
    const traceId = line!.traceId!;

    // Its spans reach the collector: the server span of the request and Prisma's queries inside it.
    // The server span ends after the response is written, so it may come in a later export than the queries'.
    const serverSpanOf = () => spans.find((s) => s.traceId === traceId && s.kind === 2 && !s.parentSpanId);
    await expect
      .poll(serverSpanOf, {
        timeout: 10_000,
        message: `spans of the trace: ${JSON.stringify(spans.filter((s) => s.traceId === traceId).map((s) => s.name))}`,
      })
      .toBeDefined();
    const trace = spans.filter((s) => s.traceId === traceId);
    const serverSpan = serverSpanOf();
    expect(serverSpan!.name).toMatch(/GET/);
    const queries = trace.filter((s) => s.name.startsWith("prisma:"));
    expect(queries.length, JSON.stringify(trace.map((s) => s.name))).toBeGreaterThan(0);
  }, 60_000);
});
