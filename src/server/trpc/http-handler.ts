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
import { appRouter } from "@/server/routers/_app";
import { AppError, isAppError } from "@/server/errors";
import { env } from "@/server/env";
import { requestScope, resolveRequestId } from "@/server/observability/request-id";
import { logger } from "@/server/observability/logger";
import { createRequestContext } from "./request-context";
import { crossSiteReason } from "./same-origin";
import { MAX_BATCH_SIZE } from "@/shared/api-limits";

export const TRPC_ENDPOINT = "/api/trpc";
/** The largest request body accepted (a 50,000-character description is ~200 KB as JSON at worst). */
export const MAX_BODY_BYTES = 1_048_576;

function refusal(code: TRPCError["code"], app: AppError): TRPCError {
  return new TRPCError({ code, message: app.message, cause: app });
}

function tooLarge(): TRPCError {
  return refusal("PAYLOAD_TOO_LARGE", new AppError("BAD_REQUEST", `The request body is larger than ${MAX_BODY_BYTES / 1_048_576} MB`));
}

/**
 * The request with a body that errors (413) once it passes MAX_BODY_BYTES: Content-Length
 * can be absent (chunked) or wrong, so the bytes themselves are counted.
 */
function withBodyLimit(req: Request): Request {
  if (!req.body) return req;
  let received = 0;
  const counted = req.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        received += chunk.byteLength;
        if (received > MAX_BODY_BYTES) controller.error(tooLarge());
        else controller.enqueue(chunk);
      },
    }),
  );
  return new Request(req, { body: counted, duplex: "half" } as RequestInit);
}

function isJson(req: Request): boolean {
  const type = req.headers.get("content-type")?.split(";", 1)[0]?.trim().toLowerCase();
  return type === "application/json";
}

/** Refusals decided from the headers alone, before the session is looked up. */
function refuseByHeaders(req: Request): TRPCError | null {
  if (req.method !== "POST") return null;
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (Number.isFinite(declared) && declared > MAX_BODY_BYTES) return tooLarge();
  // tRPC would also read multipart/form-data and octet-stream bodies; no Lanes procedure takes them.
  if (!isJson(req)) return refusal("UNSUPPORTED_MEDIA_TYPE", new AppError("BAD_REQUEST", "Send the body as application/json"));
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
        if (!ctx && error.code === "INTERNAL_SERVER_ERROR") logger.error({ requestId, procedure: path, err: error.cause ?? error }, "request failed");
      },
    }),
  );
  // Also on answers tRPC gives before any context exists (415, oversized batch, …).
  response.headers.set("x-request-id", requestId);
  response.headers.set("cache-control", "no-store");
  return response;
}
