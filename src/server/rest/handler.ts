/**
 * /api/v1: the procedures marked with `rest(…)` metadata as resource-style REST. A REST call runs
 * the very procedure a tRPC call runs (authentication, permission, rate limit, input guard, Zod
 * input and output), through tRPC's own caller; this file only maps HTTP onto it:
 *
 *   path parameters + query string (GET, DELETE) or JSON body (POST, PATCH) → the procedure's input
 *   the procedure's output                                                → 200, JSON
 *   any refusal                  → { code, message, requestId, fieldErrors?, details? } with its status
 *
 * Written by hand, not with trpc-to-openapi's handler: see ./query-input.ts and
 * docs/decisions/0027-rest-api.md. The OpenAPI document comes from trpc-to-openapi (./openapi.ts).
 */
import "server-only";
import { callTRPCProcedure, type TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { appRouter } from "@/server/routers/_app";
import { AppError } from "@/server/errors";
import { logger } from "@/server/observability/logger";
import { requestScope, resolveRequestId } from "@/server/observability/request-id";
import { formatErrorData, toTRPCError } from "@/server/trpc/errors";
import { createRequestContext } from "@/server/trpc/request-context";
import { refuseBodyRequest, refusal, retryAfterOf, withBodyLimit } from "@/server/http/request-guards";
import { matchRoute, type RestRoute } from "./routes";
import { inputFromQuery } from "./query-input";
import { REST_BASE_PATH } from "./meta";

/** The REST error body (docs/api.md): the tRPC error data, flattened. */
export type RestError = {
  code: string;
  message: string;
  requestId: string;
  fieldErrors?: Record<string, string[]>;
  details?: Record<string, unknown>;
};

function errorResponse(error: TRPCError, requestId: string, headers: Headers): Response {
  const status = getHTTPStatusCodeFromError(error);
  const { message, data } = formatErrorData(error, status, requestId);
  const body: RestError = {
    code: data.code,
    message,
    requestId,
    ...(data.fieldErrors ? { fieldErrors: data.fieldErrors } : {}),
    ...(data.details ? { details: data.details } : {}),
  };
  const retryAfter = retryAfterOf([error]);
  if (retryAfter) headers.set("retry-after", String(retryAfter));
  return Response.json(body, { status, headers });
}

function badRequest(message: string): TRPCError {
  return refusal("BAD_REQUEST", AppError.badRequest(message));
}

/** The path below /api/v1, percent-decoded segment by segment. */
function pathSegments(url: URL): string[] {
  const rest = url.pathname.slice(REST_BASE_PATH.length);
  try {
    return rest.split("/").filter(Boolean).map(decodeURIComponent);
  } catch {
    throw badRequest("The path is not validly percent-encoded");
  }
}

async function bodyInput(req: Request): Promise<Record<string, unknown>> {
  const refused = refuseBodyRequest(req);
  if (refused) throw refused;
  const text = await withBodyLimit(req).text();
  if (text.trim() === "") return {};
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw refusal("PARSE_ERROR", AppError.badRequest("The request body is not valid JSON"));
  }
  if (typeof body !== "object" || body === null || Array.isArray(body))
    throw badRequest("The request body must be a JSON object");
  return body as Record<string, unknown>;
}

async function inputOf(req: Request, url: URL, route: RestRoute, params: Record<string, string>): Promise<unknown> {
  const fromRequest =
    route.method === "GET" || route.method === "DELETE"
      ? inputFromQuery(route.input, url.searchParams)
      : await bodyInput(req);
  // The path names the resource: it wins over a body field of the same name.
  return { ...fromRequest, ...params };
}

async function answer(req: Request, requestId: string, headers: Headers): Promise<Response> {
  const url = new URL(req.url);
  const match = matchRoute(req.method, pathSegments(url));
  if (match.kind === "none")
    throw refusal(
      "NOT_FOUND",
      new AppError("NOT_FOUND", `No API route ${req.method} ${url.pathname}; see ${REST_BASE_PATH}/openapi.json`),
    );
  if (match.kind === "wrong-method") {
    headers.set("allow", match.allow.join(", "));
    throw refusal(
      "METHOD_NOT_SUPPORTED",
      AppError.badRequest(`${req.method} is not supported here; use ${match.allow.join(" or ")}`),
    );
  }
  const { route, params } = match;
  const input = await inputOf(req, url, route, params);
  const ctx = await createRequestContext({ headers: req.headers, requestId, resHeaders: headers });
  const data: unknown = await callTRPCProcedure({
    router: appRouter,
    path: route.procedure,
    type: route.type,
    ctx,
    getRawInput: () => Promise.resolve(input),
    signal: req.signal,
    batchIndex: 0,
  });
  return Response.json(data, { status: 200, headers });
}

/** A 405 in the REST error contract, for routes outside the route table (the OpenAPI document). */
export function methodNotAllowed(req: Request, allow: string[]): Response {
  const requestId = resolveRequestId(req.headers.get("x-request-id"));
  const headers = new Headers({ "x-request-id": requestId, "cache-control": "no-store", allow: allow.join(", ") });
  const error = refusal(
    "METHOD_NOT_SUPPORTED",
    AppError.badRequest(`${req.method} is not supported here; use ${allow.join(" or ")}`),
  );
  return errorResponse(error, requestId, headers);
}

export async function handleRestRequest(req: Request): Promise<Response> {
  const requestId = resolveRequestId(req.headers.get("x-request-id"));
  const headers = new Headers({ "x-request-id": requestId, "cache-control": "no-store" });
  return requestScope.run({ requestId }, async () => {
    try {
      return await answer(req, requestId, headers);
    } catch (thrown) {
      const error = toTRPCError(thrown);
      // Procedure calls are logged by the observe middleware; this catches what failed before one ran.
      if (error.code === "INTERNAL_SERVER_ERROR")
        logger.error({ requestId, path: new URL(req.url).pathname, err: error.cause ?? error }, "REST request failed");
      return errorResponse(error, requestId, headers);
    }
  });
}
