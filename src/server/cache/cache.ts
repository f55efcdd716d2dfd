/**
 * Cache-aside for what every request reads before its procedure runs (docs/decisions/0029-request-cache.md):
 * the session's user, the caller's membership and role, the workspace, an API key. PostgreSQL stays
 * the source of truth: a miss, a store that cannot answer or a value that does not parse is read from
 * it. Entries end by TTL or by invalidation — from the service that made the change (awaited before it
 * answers) and from PostgreSQL triggers for every change however it was
 * made, Prisma Studio included (./invalidation-listener.ts). With Redis the service's invalidation is seen
 * by every instance at once; each process's memory store hears of other processes' changes by the trigger.
 */
import { createHash } from "node:crypto";
import type { z } from "zod";
import { env } from "@/server/env";
import { createRedisClient } from "@/server/redis";
import { logger } from "@/server/observability/logger";
import { metrics } from "@/server/observability/metrics";
import { MemoryCacheStore, RedisCacheStore, type CacheStore } from "./store";

/** Seconds an entry may live: the bound on staleness if every invalidation were lost. */
export const CACHE_TTL_SECONDS = 60;
/** A cache read waits at most this long for Redis before PostgreSQL answers instead. */
const CACHE_COMMAND_TIMEOUT_MS = 250;

/** Cache keys; the same strings are built by the database triggers (prisma/migrations/…_cache_invalidation). */
export const cacheKeys = {
  /** By the token's SHA-256: the raw token never leaves the request. */
  session: (sessionToken: string) => `session:${sha256(sessionToken)}`,
  workspace: (slug: string) => `workspace:${slug}`,
  membership: (slug: string, userId: string) => `member:${slug}:${userId}`,
  apiKey: (secretHash: string) => `apikey:${secretHash}`,
  /** A board's column totals: the hot aggregate every board view and every move refetches. */
  statusCounts: (workspaceId: string, projectId: string) => `counts:${workspaceId}:${projectId}`,
};

export function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

const globalForCache = globalThis as unknown as { lanesCache?: CacheStore | null };

/** The process's store, or null when caching is off (CACHE_DISABLED). */
export function cacheStore(): CacheStore | null {
  if (globalForCache.lanesCache !== undefined) return globalForCache.lanesCache;
  const config = env();
  globalForCache.lanesCache = config.CACHE_DISABLED
    ? null
    : config.REDIS_URL
      ? new RedisCacheStore(
          createRedisClient(config.REDIS_URL, { commandTimeoutMs: CACHE_COMMAND_TIMEOUT_MS, name: "lanes-cache" }),
        )
      : new MemoryCacheStore();
  return globalForCache.lanesCache;
}

/** For tests: use this store (or none) from now on. */
export function useCacheStore(store: CacheStore | null): void {
  globalForCache.lanesCache = store;
}

function parse<T>(raw: string | null | undefined, schema: z.ZodType<T>): T | undefined {
  if (raw === null || raw === undefined) return undefined;
  try {
    const result = schema.safeParse(JSON.parse(raw));
    return result.success ? result.data : undefined;
  } catch {
    return undefined;
  }
}

/** Values read from the cache, and the versions a fill must carry (see ./store.ts). */
export type CacheRead<T> = { values: T; versions: ReadonlyMap<string, string> };

/**
 * Cached entries read in one round trip: each value, or undefined where it was missing or
 * unreadable (the caller then reads PostgreSQL and fills with `versions`).
 */
export async function readCached<const S extends readonly z.ZodType[]>(
  keys: { [I in keyof S]: string },
  schemas: S,
): Promise<CacheRead<{ [I in keyof S]: z.infer<S[I]> | undefined }>> {
  const store = cacheStore();
  const found = store ? await store.get(keys) : [];
  const values = schemas.map((schema, index) => parse(found[index]?.value, schema));
  if (store) for (const value of values) metrics().cacheReads.inc({ result: value === undefined ? "miss" : "hit" });
  const versions = new Map(keys.map((key, index) => [key, found[index]?.version ?? "unavailable"]));
  return { values: values as { [I in keyof S]: z.infer<S[I]> | undefined }, versions };
}

/**
 * Stores entries just read from PostgreSQL, each unless it was invalidated after `versions` were read.
 * Not awaited by callers: a slow store never slows a request.
 */
export function fillCache(
  entries: ReadonlyArray<readonly [key: string, value: unknown]>,
  versions: ReadonlyMap<string, string>,
  ttlSeconds = CACHE_TTL_SECONDS,
): void {
  const store = cacheStore();
  if (!store) return;
  for (const [key, value] of entries) {
    const version = versions.get(key);
    if (version === undefined) continue;
    store.fill(key, JSON.stringify(value), ttlSeconds, version).catch((error: unknown) => {
      logger.warn({ err: error, key }, "cache fill failed");
    });
  }
}

/** Ends entries now, for every instance (awaited by the services that change what they hold). */
export async function invalidateCache(keys: readonly string[]): Promise<void> {
  const store = cacheStore();
  if (!store || keys.length === 0) return;
  try {
    await store.invalidate(keys);
  } catch (error) {
    logger.warn({ err: error, keys }, "cache invalidation failed; the entries end with their TTL");
  }
}
