/**
 * Where cached values live: Redis when REDIS_URL is set (shared by every instance, so one
 * instance's invalidation is every instance's), else this process's memory (the embedded default).
 * Both have the same three operations and the same guarantee:
 *
 *   get(keys)                        each value (null: a miss, or a store that cannot answer —
 *                                    callers then read PostgreSQL; a cache never decides an outcome)
 *                                    and the key's version
 *   fill(key, value, ttl, version)   stores it only if the key was not invalidated since `version`
 *   invalidate(keys)                 deletes them and moves their versions on
 *
 * The version closes cache-aside's classic race: a request reads the old role from PostgreSQL, a
 * demotion commits and invalidates, then the request stores the old role — for the whole TTL. Here
 * that fill carries the version read before the query, which the invalidation has moved on, so it is
 * dropped; a request that started after the invalidation fills as usual.
 */
import type { Redis as IORedis } from "ioredis";
import { logger } from "@/server/observability/logger";

const PREFIX = "lanes:cache:v1:";
/** How long Redis remembers a key's version after its last invalidation (far longer than any query). */
const VERSION_TTL_SECONDS = 3_600;

export type CachedValue = { value: string | null; version: string };

export interface CacheStore {
  readonly kind: "redis" | "memory";
  get(keys: readonly string[]): Promise<CachedValue[]>;
  fill(key: string, value: string, ttlSeconds: number, version: string): Promise<void>;
  invalidate(keys: readonly string[]): Promise<void>;
  /** Forget everything (a process-local store, after invalidations may have been missed). */
  clear?(): void;
}

type Entry = { value: string; expiresAt: number };

/** This process only; bounded (the oldest entries go first). */
export class MemoryCacheStore implements CacheStore {
  readonly kind = "memory";
  private readonly entries = new Map<string, Entry>();
  private readonly versions = new Map<string, number>();

  constructor(
    private readonly maxEntries = 50_000,
    private readonly now: () => number = Date.now,
  ) {}

  get(keys: readonly string[]): Promise<CachedValue[]> {
    return Promise.resolve(keys.map((key) => ({ value: this.read(key), version: this.versionOf(key) })));
  }

  private versionOf(key: string): string {
    return String(this.versions.get(key) ?? 0);
  }

  private read(key: string): string | null {
    const entry = this.entries.get(key);
    if (!entry) return null;
    if (entry.expiresAt > this.now()) return entry.value;
    this.entries.delete(key);
    return null;
  }

  fill(key: string, value: string, ttlSeconds: number, version: string): Promise<void> {
    if (this.versionOf(key) !== version) return Promise.resolve();
    this.entries.delete(key); // re-inserted last: Map order is the eviction order
    this.entries.set(key, { value, expiresAt: this.now() + ttlSeconds * 1000 });
    trim(this.entries, this.maxEntries);
    return Promise.resolve();
  }

  invalidate(keys: readonly string[]): Promise<void> {
    for (const key of keys) {
      this.entries.delete(key);
      const next = (this.versions.get(key) ?? 0) + 1;
      this.versions.delete(key);
      this.versions.set(key, next);
    }
    // A forgotten version reads as 0, which a reader holding a later one cannot match: safe to drop.
    trim(this.versions, this.maxEntries);
    return Promise.resolve();
  }

  clear(): void {
    this.entries.clear();
  }
}

function trim(map: Map<string, unknown>, max: number): void {
  while (map.size > max) {
    const oldest = map.keys().next().value;
    if (oldest === undefined) break;
    map.delete(oldest);
  }
}

/** SET only while the key's version is still the one read before the query: atomic in Redis. */
const FILL_SCRIPT = `if (redis.call('get', KEYS[2]) or '0') == ARGV[3] then redis.call('set', KEYS[1], ARGV[1], 'EX', ARGV[2]) end return 1`;

/**
 * Redis, shared by every instance. A Redis that is not connected is skipped at once (reads go to
 * PostgreSQL, no waiting); an invalidation that could not be sent is retried when the connection is
 * back, so an entry cannot outlive a change by more than the outage (and never its TTL).
 */
export class RedisCacheStore implements CacheStore {
  readonly kind = "redis";
  /** Invalidations not yet acknowledged by Redis: read as misses here until they are. */
  private readonly pending = new Set<string>();
  /** At most one MULTI in flight; keys that arrive meanwhile go in the next one. */
  private flushing: Promise<void> | null = null;
  private warned = false;

  constructor(private readonly redis: IORedis) {
    redis.on("ready", () => {
      this.warned = false;
      void this.flushPending();
    });
  }

  private get usable(): boolean {
    return this.redis.status === "ready";
  }

  private warn(error: unknown, operation: string): void {
    if (this.warned) return;
    this.warned = true;
    logger.warn({ err: error, operation }, "cache store unavailable; reading PostgreSQL");
  }

  async get(keys: readonly string[]): Promise<CachedValue[]> {
    const none = keys.map(() => ({ value: null, version: "unavailable" }));
    if (!this.usable || keys.length === 0) return none;
    try {
      // Values and versions in one round trip.
      const found = await this.redis.mget([...keys.map((key) => PREFIX + key), ...keys.map(versionKey)]);
      return keys.map((key, i) =>
        this.pending.has(key) ? none[i]! : { value: found[i] ?? null, version: found[keys.length + i] ?? "0" },
      );
    } catch (error) {
      this.warn(error, "get");
      return none;
    }
  }

  async fill(key: string, value: string, ttlSeconds: number, version: string): Promise<void> {
    if (!this.usable || version === "unavailable") return;
    try {
      await this.redis.eval(FILL_SCRIPT, 2, PREFIX + key, versionKey(key), value, ttlSeconds, version);
    } catch (error) {
      this.warn(error, "fill");
    }
  }

  /** Resolves once these keys' invalidation reached Redis (or could not: they stay pending). */
  async invalidate(keys: readonly string[]): Promise<void> {
    if (keys.length === 0) return;
    for (const key of keys) this.pending.add(key);
    // A burst (a purge deleting thousands of sessions notifies each) becomes a few batches, never
    // one batch per key resending all the earlier ones.
    while (this.usable && keys.some((key) => this.pending.has(key))) {
      const sent = await this.flushPending();
      if (!sent) break;
    }
  }

  /** Sends what is pending in one MULTI, or waits for the one in flight; false if Redis refused. */
  private async flushPending(): Promise<boolean> {
    if (this.flushing) {
      await this.flushing;
      return true;
    }
    if (!this.usable || this.pending.size === 0) return true;
    const keys = [...this.pending];
    const batch = this.redis.multi();
    for (const key of keys) {
      batch.del(PREFIX + key);
      batch.incr(versionKey(key));
      batch.expire(versionKey(key), VERSION_TTL_SECONDS);
    }
    let sent = true;
    this.flushing = batch.exec().then(
      () => {
        for (const key of keys) this.pending.delete(key);
      },
      (error: unknown) => {
        sent = false;
        this.warn(error, "invalidate");
        // Still connected but refused (a timeout): try again soon; a reconnect also retries ("ready").
        setTimeout(() => void this.flushPending(), 1_000).unref();
      },
    );
    try {
      await this.flushing;
    } finally {
      this.flushing = null;
    }
    return sent;
  }
}

function versionKey(key: string): string {
  return `${PREFIX}version:${key}`;
}
