/**
 * Rate limits. @upstash/ratelimit's sliding window does the counting; the store is
 * Upstash REST when UPSTASH_REDIS_REST_URL is set, TCP Redis when REDIS_URL is set
 * (through IORedisRatelimitAdapter), else per-process memory for the single-process
 * embedded setup (docs/decisions/0006-rate-limiting.md).
 */
import { Ratelimit } from "@upstash/ratelimit";
import { Redis as UpstashRedis } from "@upstash/redis";
import { Redis as IORedis } from "ioredis";
import { env } from "@/server/env";
import { logger } from "@/server/observability/logger";
import { IORedisRatelimitAdapter } from "./ioredis-adapter";
import { MemoryRateLimiter } from "./memory";

export type RateLimitResult = { success: boolean; limit: number; remaining: number; reset: number };
export type RateLimiter = { limit(key: string): Promise<RateLimitResult> };

type Window = `${number} ${"s" | "m" | "h"}`;
export type RatePolicy = { requests: number; window: Window };

/** Every limit in the app, in one place. */
export const RATE_POLICIES = {
  /** Queries per signed-in user (or per IP when anonymous). */
  read: { requests: 600, window: "60 s" },
  /** Mutations per signed-in user (or per IP). */
  write: { requests: 120, window: "60 s" },
  /** Sign-in emails per address and per IP. */
  signInEmail: { requests: 5, window: "15 m" },
  /** Invitations sent per workspace. */
  invite: { requests: 30, window: "60 m" },
} as const satisfies Record<string, RatePolicy>;

export type RatePolicyName = keyof typeof RATE_POLICIES;

export type RateLimitStore =
  | { kind: "redis"; client: IORedis }
  | { kind: "upstash"; client: UpstashRedis }
  | { kind: "memory" };

export function createRateLimiter(store: RateLimitStore, name: string, policy: RatePolicy): RateLimiter {
  if (store.kind === "memory") return new MemoryRateLimiter(policy.requests, windowMs(policy.window));
  const redis = store.kind === "redis" ? new IORedisRatelimitAdapter(store.client) : store.client;
  const ratelimit = new Ratelimit({
    // The adapter implements exactly the commands the library calls (evalsha, eval, get, set).
    redis: redis as unknown as UpstashRedis,
    limiter: Ratelimit.slidingWindow(policy.requests, policy.window),
    prefix: `lanes:rl:${name}`,
    analytics: false,
    timeout: 1000,
  });
  return {
    async limit(key) {
      try {
        const r = await ratelimit.limit(key);
        return { success: r.success, limit: r.limit, remaining: r.remaining, reset: r.reset };
      } catch (error) {
        // Fail open: a Redis outage must not take the product down with it.
        logger.warn({ err: error, limiter: name }, "rate limiter unavailable; allowing request");
        return { success: true, limit: policy.requests, remaining: policy.requests, reset: Date.now() };
      }
    },
  };
}

export function windowMs(window: Window): number {
  const [amount, unit] = window.split(" ") as [string, "s" | "m" | "h"];
  return Number(amount) * { s: 1_000, m: 60_000, h: 3_600_000 }[unit];
}

const globalForLimits = globalThis as unknown as { lanesLimiters?: Map<RatePolicyName, RateLimiter>; lanesStore?: RateLimitStore };

export function rateLimitStoreFromEnv(): RateLimitStore {
  const config = env();
  if (config.UPSTASH_REDIS_REST_URL && config.UPSTASH_REDIS_REST_TOKEN) {
    return { kind: "upstash", client: new UpstashRedis({ url: config.UPSTASH_REDIS_REST_URL, token: config.UPSTASH_REDIS_REST_TOKEN }) };
  }
  if (config.REDIS_URL) {
    // No offline queue: when Redis is down, fail fast (and open) instead of stalling requests.
    return { kind: "redis", client: new IORedis(config.REDIS_URL, { maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: false }) };
  }
  return { kind: "memory" };
}

/** The app's limiter for a policy; null when rate limiting is disabled. */
export function rateLimiter(name: RatePolicyName): RateLimiter | null {
  if (env().RATE_LIMIT_DISABLED) return null;
  globalForLimits.lanesStore ??= rateLimitStoreFromEnv();
  globalForLimits.lanesLimiters ??= new Map();
  let limiter = globalForLimits.lanesLimiters.get(name);
  if (!limiter) {
    limiter = createRateLimiter(globalForLimits.lanesStore, name, RATE_POLICIES[name]);
    globalForLimits.lanesLimiters.set(name, limiter);
  }
  return limiter;
}
