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
import "server-only";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { TRPC_ERROR_CODES_BY_KEY } from "@trpc/server/rpc";
import { appRouter } from "@/server/routers/_app";
import { AppError, isAppError } from "@/server/errors";
import { env } from "@/server/env";
import { requestScope, resolveRequestId } from "@/server/observability/request-id";
import { logger } from "@/server/observability/logger";
import { createRequestContext } from "./request-context";
import { formatErrorData } from "./errors";
import { transformer } from "./transformer";
import { crossSiteReason } from "./same-origin";
import { MAX_BATCH_SIZE } from "@/shared/api-limits";

export const TRPC_ENDPOINT = "/api/trpc";
/** The largest request body accepted (a 50,000-character description is ~200 KB as JSON at worst). */
export const MAX_BODY_BYTES = 1_048_576;

function refusal(code: TRPCError["code"], app: AppError): TRPCError {
  return new TRPCError({ code, message: app.message, cause: app });
}

function tooLarge(): TRPCError {
  return refusal(
    "PAYLOAD_TOO_LARGE",
    new AppError("BAD_REQUEST", `The request body is larger than ${MAX_BODY_BYTES / 1_048_576} MB`),
  );
}

/** Past this, an oversized body is not even read to its end: the connection is dropped. */
const DRAIN_LIMIT_BYTES = 16 * MAX_BODY_BYTES;

/**
 * The request with a body that errors (413) once it passes MAX_BODY_BYTES: Content-Length
 * can be absent (chunked) or wrong, so the bytes themselves are counted. The rest of a
 * moderately oversized body is read and dropped before the 413, so the client, still sending,
 * gets the answer instead of a connection reset.
 */
function withBodyLimit(req: Request): Request {
  if (!req.body) return req;
  let received = 0;
  const counted = req.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        received += chunk.byteLength;
        if (received > DRAIN_LIMIT_BYTES) controller.error(tooLarge());
        else if (received <= MAX_BODY_BYTES) controller.enqueue(chunk);
      },
      flush(controller) {
        if (received > MAX_BODY_BYTES) controller.error(tooLarge());
      },
    }),
  );
  return new Request(req, { body: counted, duplex: "half" } as RequestInit);
}

/** tRPC's error envelope for a refusal made before tRPC runs (same shape as the error formatter's). */
function errorResponse(error: TRPCError, requestId: string, headers: Record<string, string> = {}): Response {
  const status = getHTTPStatusCodeFromError(error);
  const { message, data } = formatErrorData(error, status, requestId);
  const body = { error: transformer.output.serialize({ message, code: TRPC_ERROR_CODES_BY_KEY[error.code], data }) };
  return Response.json(body, {
    status,
    headers: { "x-request-id": requestId, "cache-control": "no-store", ...headers },
  });
}

function isJson(req: Request): boolean {
  const type = req.headers.get("content-type")?.split(";", 1)[0]?.trim().toLowerCase();
  return type === "application/json";
}

/** Refusals decided from the headers alone, before the session is looked up. */
function refuseByHeaders(req: Request): TRPCError | null {
  if (req.method !== "POST") return null;
  // (An oversized body is refused as it is read, in withBodyLimit: refusing on Content-Length before
  // reading it leaves the unread upload on a keep-alive connection, and the client's next request on
  // it fails with ECONNRESET.)
  // tRPC would also read multipart/form-data and octet-stream bodies; no Lanes procedure takes them.
  if (!isJson(req))
    return refusal("UNSUPPORTED_MEDIA_TYPE", new AppError("BAD_REQUEST", "Send the body as application/json"));
  const crossSite = crossSiteReason(req.headers, req.url, env().APP_URL);
  if (crossSite) return refusal("FORBIDDEN", AppError.forbidden(crossSite));
  return null;
}

/** Retry-After for every refusal that carries a retry time (rate limits, a busy database). */
function retryAfterSeconds(errors: TRPCError[]): number | null {
  let longest: number | null = null;
  for (const error of errors) {
    const cause: unknown = error.cause;
    const seconds = isAppError(cause) ? cause.details?.retryAfterSeconds : undefined;
    if (typeof seconds === "number" && seconds > 0) longest = Math.max(longest ?? 0, Math.ceil(seconds));
  }
  return longest;
}

export async function handleTrpcRequest(req: Request): Promise<Response> {
  const requestId = resolveRequestId(req.headers.get("x-request-id"));
  if (req.method !== "GET" && req.method !== "POST") {
    // tRPC would answer "Missing content-type header" (415) for a bodiless PUT; the truth is 405.
    const error = new TRPCError({
      code: "METHOD_NOT_SUPPORTED",
      message: `${req.method} is not supported: queries are GET, mutations POST`,
    });
    return errorResponse(error, requestId, { allow: "GET, POST" });
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
        const seconds = retryAfterSeconds(errors);
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
