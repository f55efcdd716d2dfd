/**
 * What every API entry point (/api/trpc and the REST routes under /api/v1) checks before a
 * procedure runs: the body's size, its content type and where a browser request comes from.
 * Refusals are TRPCErrors carrying an AppError, so both entry points answer them in the one
 * error contract (src/server/trpc/errors.ts).
 */
import { TRPCError } from "@trpc/server";
import { AppError, isAppError } from "@/server/errors";
import { env } from "@/server/env";
import { crossSiteReason } from "@/server/trpc/same-origin";

/** The largest request body accepted (a 50,000-character description is ~200 KB as JSON at worst). */
export const MAX_BODY_BYTES = 1_048_576;

/** Past this, an oversized body is not even read to its end: the connection is dropped. */
const DRAIN_LIMIT_BYTES = 16 * MAX_BODY_BYTES;

export function refusal(code: TRPCError["code"], app: AppError): TRPCError {
  return new TRPCError({ code, message: app.message, cause: app });
}

function tooLarge(): TRPCError {
  return refusal(
    "PAYLOAD_TOO_LARGE",
    new AppError("BAD_REQUEST", `The request body is larger than ${MAX_BODY_BYTES / 1_048_576} MB`),
  );
}

/**
 * The request with a body that errors (413) once it passes MAX_BODY_BYTES: Content-Length
 * can be absent (chunked) or wrong, so the bytes themselves are counted. The rest of a
 * moderately oversized body is read and dropped before the 413, so the client, still sending,
 * gets the answer instead of a connection reset.
 */
export function withBodyLimit(req: Request): Request {
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

export function isJsonRequest(req: Request): boolean {
  const type = req.headers.get("content-type")?.split(";", 1)[0]?.trim().toLowerCase();
  return type === "application/json";
}

/**
 * Refusals decided from the headers of a request that carries a body: it must be JSON (no
 * procedure takes forms or files) and, from a browser, same-origin (docs/decisions/0017-csrf.md).
 * (An oversized body is refused as it is read, in withBodyLimit: refusing on Content-Length before
 * reading it leaves the unread upload on a keep-alive connection, and the client's next request on
 * it fails with ECONNRESET.)
 */
export function refuseBodyRequest(req: Request): TRPCError | null {
  if (!isJsonRequest(req))
    return refusal("UNSUPPORTED_MEDIA_TYPE", new AppError("BAD_REQUEST", "Send the body as application/json"));
  const crossSite = crossSiteReason(req.headers, req.url, env().APP_URL);
  if (crossSite) return refusal("FORBIDDEN", AppError.forbidden(crossSite));
  return null;
}

/** Retry-After for every refusal that carries a retry time (rate limits, a busy database): the longest. */
export function retryAfterOf(errors: readonly TRPCError[]): number | null {
  let longest: number | null = null;
  for (const error of errors) {
    const cause: unknown = error.cause;
    const seconds = isAppError(cause) ? cause.details?.retryAfterSeconds : undefined;
    if (typeof seconds === "number" && seconds > 0) longest = Math.max(longest ?? 0, Math.ceil(seconds));
  }
  return longest;
}
