/**
 * /api/trpc over HTTP: tRPC's fetch adapter with the limits a public endpoint needs.
 * Everything refused here is answered in tRPC's own error contract (JSON, per call of
 * a batch, with the request id), because the refusals happen inside createContext or
 * the body stream, which tRPC turns into errors through the one error formatter.
 *
 *   body larger than MAX_BODY_BYTES        → 413 PAYLOAD_TOO_LARGE
 *   a batch of more than MAX_BATCH_SIZE     → 400 BAD_REQUEST (src/shared/api-limits.ts)
 *   POST that is not application/json       → 415 UNSUPPORTED_MEDIA_TYPE
 *   a cross-site POST from a browser        → 403 FORBIDDEN (docs/decisions/0017-csrf.md)
 *   a busy database or rate limit           → 503 / 429 with Retry-After
 */
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { TRPC_ERROR_CODES_BY_KEY } from "@trpc/server/rpc";
import { appRouter } from "@/server/routers/_app";
import { requestScope, resolveRequestId } from "@/server/observability/request-id";
import { logger } from "@/server/observability/logger";
import { createRequestContext } from "./request-context";
import { formatErrorData } from "./errors";
import { transformer } from "./transformer";
import { MAX_BATCH_SIZE } from "@/shared/api-limits";
import { refuseBodyRequest, retryAfterOf, withBodyLimit } from "@/server/http/request-guards";

export const TRPC_ENDPOINT = "/api/trpc";

/** tRPC's error envelope for a refusal made before tRPC runs (same shape as the error formatter's). */
export function trpcErrorResponse(error: TRPCError, requestId: string, headers: Record<string, string> = {}): Response {
  const status = getHTTPStatusCodeFromError(error);
  const { message, data } = formatErrorData(error, status, requestId);
  const body = { error: transformer.output.serialize({ message, code: TRPC_ERROR_CODES_BY_KEY[error.code], data }) };
  return Response.json(body, {
    status,
    headers: { "x-request-id": requestId, "cache-control": "no-store", ...headers },
  });
}

/** Refusals decided from the headers alone, before the session is looked up. */
function refuseByHeaders(req: Request): TRPCError | null {
  return req.method === "POST" ? refuseBodyRequest(req) : null;
}

export async function handleTrpcRequest(req: Request): Promise<Response> {
  const requestId = resolveRequestId(req.headers.get("x-request-id"));
  if (req.method !== "GET" && req.method !== "POST") {
    // tRPC would answer "Missing content-type header" (415) for a bodiless PUT; the truth is 405.
    const error = new TRPCError({
      code: "METHOD_NOT_SUPPORTED",
      message: `${req.method} is not supported: queries are GET, mutations POST`,
    });
    return trpcErrorResponse(error, requestId, { allow: "GET, POST" });
  }
  const response = await requestScope.run({ requestId }, () =>
    fetchRequestHandler({
      endpoint: TRPC_ENDPOINT,
      req: withBodyLimit(req),
      router: appRouter,
      maxBatchSize: MAX_BATCH_SIZE,
      createContext: ({ resHeaders }) => {
        resHeaders.set("x-request-id", requestId);
        const refused = refuseByHeaders(req);
        if (refused) throw refused;
        return createRequestContext({ headers: req.headers, requestId, resHeaders });
      },
      responseMeta: ({ errors }) => {
        const seconds = retryAfterOf(errors);
        return seconds ? { headers: new Headers({ "retry-after": String(seconds) }) } : {};
      },
      onError: ({ error, path, ctx }) => {
        // Calls that got a context are logged by the observe middleware; this catches the rest.
        if (!ctx && error.code === "INTERNAL_SERVER_ERROR")
          logger.error({ requestId, procedure: path, err: error.cause ?? error }, "request failed");
      },
    }),
  );
  // Also on answers tRPC gives before any context exists (415, oversized batch, …).
  response.headers.set("x-request-id", requestId);
  response.headers.set("cache-control", "no-store");
  // tRPC sends some early errors (415, a bad batch) as a bare string, which Response types text/plain.
  if (response.headers.get("content-type")?.startsWith("text/plain"))
    response.headers.set("content-type", "application/json");
  return response;
}
