/**
 * Rate limits. @upstash/ratelimit's sliding window does the counting; the store is
 * Upstash REST when UPSTASH_REDIS_REST_URL is set, TCP Redis when REDIS_URL is set
 * (through IORedisRatelimitAdapter), else per-process memory for the single-process
 * embedded setup (docs/decisions/0006-rate-limiting.md).
 */
import { Ratelimit } from "@upstash/ratelimit";
import { Redis as UpstashRedis } from "@upstash/redis";
import type { Redis as IORedis } from "ioredis";
import { createRedisClient } from "@/server/redis";
import { env } from "@/server/env";
import { AppError } from "@/server/errors";
import { logger } from "@/server/observability/logger";
import { metrics } from "@/server/observability/metrics";
import { IORedisRatelimitAdapter } from "./ioredis-adapter";
import { MemoryRateLimiter } from "./memory";

/** `reset`: when the budget is whole again (epoch ms). `degraded`: the store could not answer and the check failed open. */
export type RateLimitResult = { success: boolean; limit: number; remaining: number; reset: number; degraded?: true };
export type RateLimiter = { limit(key: string): Promise<RateLimitResult> };

type Window = `${number} ${"s" | "m" | "h" | "d"}`;
/**
 * `whenStoreFails`: what happens when the store (Redis) cannot answer. "open" lets the request
 * through with a logged warning (a Redis outage must not take reading and editing down with it);
 * "closed" refuses it with a retryable 503 (sending mail to strangers must never be unlimited).
 */
export type RatePolicy = { requests: number; window: Window; whenStoreFails: "open" | "closed" };

/**
 * Every limit in the app, in one place. Procedure calls are counted per caller
 * (src/server/ratelimit/budgets.ts picks the row): reads and writes apart, per person
 * (session), per API key, or per IP for anonymous callers; the rest are per action.
 */
export const RATE_POLICIES = {
  /** Queries per signed-in person. */
  read: { requests: 600, window: "60 s", whenStoreFails: "open" },
  /** Mutations per signed-in person. */
  write: { requests: 120, window: "60 s", whenStoreFails: "open" },
  /** Queries per API key, unless the key sets its own `rateLimitPerMinute`. */
  keyRead: { requests: 600, window: "60 s", whenStoreFails: "open" },
  /** Mutations per API key, unless the key sets its own `rateLimitPerMinute`. */
  keyWrite: { requests: 120, window: "60 s", whenStoreFails: "open" },
  /** Queries per IP address (an IPv6 /64) from callers who are not signed in. */
  anonymousRead: { requests: 120, window: "60 s", whenStoreFails: "open" },
  /** Mutations per IP address from callers who are not signed in. */
  anonymousWrite: { requests: 30, window: "60 s", whenStoreFails: "open" },
  /** Sign-in emails per address and per IP. */
  signInEmail: { requests: 5, window: "15 m", whenStoreFails: "closed" },
  /** Invitations sent from one workspace. */
  invite: { requests: 30, window: "60 m", whenStoreFails: "closed" },
  /** Invitations one person sends, across all their workspaces (workspaces are free to create). */
  inviteByInviter: { requests: 50, window: "1 d", whenStoreFails: "closed" },
  /** Invitations one address receives, from anyone, across workspaces. */
  inviteToAddress: { requests: 5, window: "1 d", whenStoreFails: "closed" },
  /** Workspaces one person creates. */
  workspaceCreate: { requests: 10, window: "1 d", whenStoreFails: "closed" },
} as const satisfies Record<string, RatePolicy>;

export type RatePolicyName = keyof typeof RATE_POLICIES;

export type RateLimitStore =
  { kind: "redis"; client: IORedis } | { kind: "upstash"; client: UpstashRedis } | { kind: "memory" };

export function createRateLimiter(store: RateLimitStore, name: string, policy: RatePolicy): RateLimiter {
  if (store.kind === "memory") return new MemoryRateLimiter(policy.requests, windowMs(policy.window));
  const redis = store.kind === "redis" ? new IORedisRatelimitAdapter(store.client) : store.client;
  const ratelimit = new Ratelimit({
    // The adapter implements exactly the commands the library calls (evalsha, eval, get, set).
    redis: redis as unknown as UpstashRedis,
    limiter: Ratelimit.slidingWindow(policy.requests, policy.window),
    prefix: `lanes:rl:${name}`,
    analytics: false,
    // On timeout the library answers success with reason "timeout"; storeFailed() below decides instead.
    timeout: STORE_TIMEOUT_MS,
  });
  return {
    async limit(key) {
      try {
        const r = await ratelimit.limit(key);
        if (r.reason === "timeout")
          return storeFailed(name, policy, new Error(`no answer within ${STORE_TIMEOUT_MS} ms`));
        return { success: r.success, limit: r.limit, remaining: r.remaining, reset: r.reset };
      } catch (error) {
        return storeFailed(name, policy, error);
      }
    },
  };
}

/** How long a limit check may wait for the store, including a connection still being set up. */
export const STORE_TIMEOUT_MS = 1_000;
/** Seconds a refused request should wait when a fail-closed limit cannot be checked. */
const STORE_RETRY_AFTER_SECONDS = 30;

function storeFailed(name: string, policy: RatePolicy, error: unknown): RateLimitResult {
  if (policy.whenStoreFails === "closed") {
    logger.error({ err: error, limiter: name }, "rate limit store unavailable; refusing (fail-closed limit)");
    throw new AppError("UNAVAILABLE", "This can't be done right now; try again in a minute.", {
      retryAfterSeconds: STORE_RETRY_AFTER_SECONDS,
    });
  }
  logger.warn({ err: error, limiter: name }, "rate limit store unavailable; allowing request");
  return { success: true, limit: policy.requests, remaining: policy.requests, reset: Date.now(), degraded: true };
}

export function windowMs(window: Window): number {
  const [amount, unit] = window.split(" ") as [string, "s" | "m" | "h" | "d"];
  return Number(amount) * { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[unit];
}

const globalForLimits = globalThis as unknown as {
  lanesLimiters?: Map<string, RateLimiter>;
  lanesStore?: RateLimitStore;
};

export function rateLimitStoreFromEnv(): RateLimitStore {
  const config = env();
  if (config.UPSTASH_REDIS_REST_URL && config.UPSTASH_REDIS_REST_TOKEN) {
    return {
      kind: "upstash",
      client: new UpstashRedis({ url: config.UPSTASH_REDIS_REST_URL, token: config.UPSTASH_REDIS_REST_TOKEN }),
    };
  }
  if (config.REDIS_URL)
    return { kind: "redis", client: createRedisClient(config.REDIS_URL, { commandTimeoutMs: STORE_TIMEOUT_MS }) };
  return { kind: "memory" };
}

/**
 * The app's limiter for a policy, optionally with its own number of requests per window (an API
 * key's `rateLimitPerMinute`: counted apart, under its own prefix); null when rate limiting is disabled.
 */
export function rateLimiter(name: RatePolicyName, requests?: number): RateLimiter | null {
  if (env().RATE_LIMIT_DISABLED) return null;
  const base = RATE_POLICIES[name];
  const custom = requests !== undefined && requests !== base.requests;
  const id = custom ? `${name}:${requests}` : name;
  globalForLimits.lanesStore ??= rateLimitStoreFromEnv();
  globalForLimits.lanesLimiters ??= new Map();
  let limiter = globalForLimits.lanesLimiters.get(id);
  if (!limiter) {
    limiter = createRateLimiter(globalForLimits.lanesStore, id, custom ? { ...base, requests } : base);
    globalForLimits.lanesLimiters.set(id, limiter);
  }
  return limiter;
}

/** Seconds until a refused check may pass again (at least 1). */
export function retryAfterSeconds(result: RateLimitResult, now = Date.now()): number {
  return Math.max(1, Math.ceil((result.reset - now) / 1000));
}

export type LimitCheck = { policy: RatePolicyName; key: string; requests?: number };

/**
 * Counts one request against each check in order and stops at the first that is spent, refusing
 * with TOO_MANY_REQUESTS (its wait as details.retryAfterSeconds, which becomes a Retry-After
 * header). Order matters: put the caller's own keys (user, workspace, IP) before keys that name
 * someone else (a recipient's address), so a refused sender never spends the other person's
 * budget. A fail-closed store outage throws UNAVAILABLE.
 */
export async function enforceLimits(checks: ReadonlyArray<LimitCheck>, message: string): Promise<void> {
  for (const check of checks) {
    const result = await consume(check);
    if (result && !result.success)
      throw new AppError("TOO_MANY_REQUESTS", message, { retryAfterSeconds: retryAfterSeconds(result) });
  }
}

/** Counts one request against a budget and reports what is left; null when rate limiting is disabled. */
export async function consume({ policy, key, requests }: LimitCheck): Promise<RateLimitResult | null> {
  const limiter = rateLimiter(policy, requests);
  if (!limiter) return null;
  const result = await limiter.limit(key);
  if (!result.success) metrics().rateLimited.inc({ policy });
  return result;
}
