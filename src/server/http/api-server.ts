/**
 * /api/trpc served by Lanes' HTTP server itself, outside Next's route pipeline
 * (docs/decisions/0043-trpc-outside-nexts-route-pipeline.md). The handler is the one the Next route
 * (src/app/api/trpc/[[...trpc]]/route.ts) exports — same router, context, guards and error contract —
 * so what this skips is only Next's per-request work (routing, its route module, async stores, tracer),
 * which cost as much as the whole request of a plain node:http server. Here, as Next would, each
 * answer carries the constant and API security headers and gets a server span.
 *
 * `serve.ts start` uses it; `serve.ts dev` keeps Next's route, which recompiles on change.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { context, propagation, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import { TRPCError } from "@trpc/server";
import { handleTrpcRequest, TRPC_ENDPOINT, trpcErrorResponse } from "@/server/trpc/http-handler";
import { resolveRequestId } from "@/server/observability/request-id";
import { API_HEADERS, CONSTANT_HEADERS } from "./response-headers";
import { sendFetchResponse, toFetchRequest } from "./fetch-bridge";

/** The route's name in spans, as Next names it. */
const ROUTE = `${TRPC_ENDPOINT}/[[...trpc]]`;
/** What the Next route exports; HEAD and OPTIONS stay with Next, which derives both. */
const METHODS = new Set(["GET", "POST", "PUT", "PATCH", "DELETE"]);
const RESPONSE_HEADERS = [...CONSTANT_HEADERS, ...API_HEADERS];
/** A no-op until a tracer provider is registered (src/server/observability/tracing.ts). */
const tracer = trace.getTracer("lanes");

/**
 * Whether the request is the API's to answer here. Anything Next treats specially goes to Next as
 * before: a trailing slash (its redirect), a path that URL parsing would rewrite (dot segments,
 * characters it escapes), another method, an absolute-form target.
 */
export function isApiRequest(method: string | undefined, url: string | undefined): boolean {
  if (!method || !url || !METHODS.has(method)) return false;
  const queryAt = url.indexOf("?");
  const path = queryAt === -1 ? url : url.slice(0, queryAt);
  if (path !== TRPC_ENDPOINT && !(path.startsWith(`${TRPC_ENDPOINT}/`) && !path.endsWith("/"))) return false;
  return new URL(path, "http://lanes.invalid").pathname === path;
}

/**
 * The origin the request was addressed to, as Next computes it (Host, and https when a proxy says
 * so): the CSRF check accepts it besides APP_URL's (src/server/trpc/same-origin.ts).
 */
function originOf(req: IncomingMessage, fallback: string): string {
  const forwarded = req.headers["x-forwarded-proto"];
  const proto =
    (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(",")[0]?.trim() === "https" ? "https" : "http";
  if (!req.headers.host) return fallback;
  try {
    return new URL(`${proto}://${req.headers.host}`).origin;
  } catch {
    return fallback;
  }
}

/** Answers one API request; `fallbackOrigin` (the server's own) stands in for a missing or unusable Host. */
export function serveApiRequest(req: IncomingMessage, res: ServerResponse, fallbackOrigin: string): Promise<void> {
  const method = req.method ?? "GET";
  const parent = propagation.extract(context.active(), req.headers);
  const attributes = { "http.request.method": method, "http.route": ROUTE, "url.path": req.url ?? "" };
  return tracer.startActiveSpan(`${method} ${ROUTE}`, { kind: SpanKind.SERVER, attributes }, parent, async (span) => {
    try {
      for (const { key, value } of RESPONSE_HEADERS) res.setHeader(key, value);
      // The client going away aborts the request: a subscription's stream ends, a batch stops early.
      const gone = new AbortController();
      res.once("close", () => {
        if (!res.writableFinished) gone.abort();
      });
      const response = await answer(req, originOf(req, fallbackOrigin), gone.signal);
      span.setAttribute("http.response.status_code", response.status);
      if (response.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      await sendFetchResponse(response, res);
    } finally {
      span.end();
    }
  });
}

/** The handler's answer; a request Fetch cannot represent (rare: Node's parser is stricter) is a 400. */
async function answer(req: IncomingMessage, origin: string, signal: AbortSignal): Promise<Response> {
  let request: Request;
  try {
    request = toFetchRequest(req, origin, signal);
  } catch (error) {
    const message = error instanceof Error ? error.message : "the request could not be read";
    const refusal = new TRPCError({ code: "BAD_REQUEST", message: `Malformed request: ${message}` });
    return trpcErrorResponse(refusal, resolveRequestId(null));
  }
  return handleTrpcRequest(request);
}
