/**
 * tRPC's one instance: superjson, the error formatter, and the middleware
 * every procedure runs through (logging, error mapping, rate limits).
 */
import { initTRPC, TRPCError } from "@trpc/server";
import type { OpenApiMeta } from "trpc-to-openapi";
import type { Context } from "./context";
import { transformer } from "./transformer";
import { findInputProblem } from "./input-limits";
import { formatErrorData, toTRPCError } from "./errors";
import { consume, RATE_POLICIES, retryAfterSeconds, windowMs, type RateLimitResult } from "@/server/ratelimit/limiter";
import { callerBudget } from "@/server/ratelimit/budgets";
import { setRateLimitHeaders } from "@/server/ratelimit/headers";
import { AppError } from "@/server/errors";
import { requestScope } from "@/server/observability/request-id";
import { metrics } from "@/server/observability/metrics";
import { noteWrite } from "@/server/db/replicas";

/** Procedure metadata: how a procedure is exposed as REST (src/server/rest/meta.ts), nothing else. */
export type ProcedureMeta = OpenApiMeta;

export const t = initTRPC
  .context<Context>()
  .meta<ProcedureMeta>()
  .create({
    transformer,
    // Live subscriptions (SSE): a ping keeps proxies from closing a quiet stream and lets the client
    // notice a dead one; each stream ends after 10 minutes and resumes, so authentication is re-checked.
    sse: {
      ping: { enabled: true, intervalMs: 10_000 },
      client: { reconnectAfterInactivityMs: 25_000 },
      maxDurationMs: 10 * 60_000,
    },
    errorFormatter({ shape, error, ctx }) {
      const requestId = ctx?.requestId ?? requestScope.getStore()?.requestId ?? null;
      const { message, data } = formatErrorData(error, shape.data.httpStatus, requestId);
      return { code: shape.code, message, data };
    },
  });

/**
 * One log line and one histogram sample per procedure call; service errors (AppError, Prisma)
 * become client errors.
 */
const observe = t.middleware(async ({ ctx, path, type, next }) => {
  const started = performance.now();
  const result = await next();
  const elapsed = performance.now() - started;
  const durationMs = Math.round(elapsed * 10) / 10;
  const record = (outcome: string) => metrics().procedures.observe({ procedure: path, type, outcome }, elapsed / 1000);
  if (result.ok) {
    record("ok");
    ctx.log.info({ procedure: path, type, durationMs, outcome: "ok" }, "procedure");
    return result;
  }
  const original = result.error;
  const mapped = original.code === "INTERNAL_SERVER_ERROR" && original.cause ? toTRPCError(original.cause) : original;
  record(mapped.code);
  if (mapped.code === "INTERNAL_SERVER_ERROR") {
    ctx.log.error(
      { procedure: path, type, durationMs, outcome: mapped.code, err: original.cause ?? original },
      "procedure failed",
    );
  } else if (mapped.code === "SERVICE_UNAVAILABLE" || (mapped !== original && mapped.code === "BAD_REQUEST")) {
    // A database that could not serve, or a value only the database refused (the input guard should
    // have): the client gets a clean 503/400, operators need the cause.
    ctx.log.warn(
      { procedure: path, type, durationMs, outcome: mapped.code, err: original.cause ?? original },
      "procedure refused by the database",
    );
  } else {
    ctx.log.info({ procedure: path, type, durationMs, outcome: mapped.code }, "procedure");
  }
  if (mapped !== original) throw mapped;
  return result;
});

/**
 * Per-caller throttling (src/server/ratelimit/budgets.ts): reads and writes apart, per person,
 * per API key or per IP. Every answer carries the budget in RateLimit-* headers; a spent budget
 * is a 429 whose Retry-After says when to try again. A page's Server Components' calls were counted
 * with the page, once (src/server/http/page-budget.ts).
 */
const throttle = t.middleware(async ({ ctx, type, next }) => {
  if (ctx.countedByPage) return next();
  const check = callerBudget(ctx.viewer, ctx.ip, type === "mutation");
  let result: RateLimitResult | null;
  try {
    result = await consume(check);
  } catch (error) {
    throw toTRPCError(error);
  }
  if (!result) return next();
  if (ctx.resHeaders) setRateLimitHeaders(ctx.resHeaders, result, windowMs(RATE_POLICIES[check.policy].window) / 1000);
  if (!result.success) {
    const seconds = retryAfterSeconds(result);
    throw toTRPCError(
      new AppError("TOO_MANY_REQUESTS", `Too many requests; try again in ${waitInWords(seconds)}`, {
        retryAfterSeconds: seconds,
      }),
    );
  }
  return next();
});

function waitInWords(seconds: number): string {
  if (seconds < 90) return seconds === 1 ? "1 second" : `${seconds} seconds`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minutes`;
}

/** Text the database cannot store, and absurd sizes or nesting, are 400s naming the field (./input-limits.ts). */
const guardInput = t.middleware(async ({ getRawInput, next }) => {
  const problem = findInputProblem(await getRawInput());
  if (problem) throw toTRPCError(AppError.badRequest("Invalid input", { [problem.path]: [problem.message] }));
  return next();
});

/**
 * After a call that may have written, the caller's reads stay on the primary for a while, so with
 * read replicas nobody misses their own change (src/server/db/replicas.ts; nothing without replicas).
 */
const readYourWrites = t.middleware(async ({ ctx, type, next }) => {
  if (type !== "mutation") return next();
  const result = await next();
  if (ctx.viewer) await noteWrite(ctx.viewer.userId);
  return result;
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
export const baseProcedure = t.procedure.use(observe).use(throttle).use(guardInput).use(readYourWrites);
export { TRPCError };
