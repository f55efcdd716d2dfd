/**
 * Where cached values live: Redis when REDIS_URL is set (shared by every instance, so one
 * instance's invalidation is every instance's), else this process's memory (the embedded default).
 * Both have the same three operations and the same guarantee:
 *
 *   get(key)                     the value, or null (a miss, or the store cannot answer: callers
 *                                then read PostgreSQL; a cache never decides an outcome)
 *   fill(key, value, ttl)        stores it unless the key was invalidated in the last FENCE_SECONDS
 *   invalidate(keys)             deletes them and fences them for FENCE_SECONDS
 *
 * The fence closes cache-aside's classic race: a request reads the old role from PostgreSQL, a
 * demotion commits and invalidates, then the request stores the old role — for the whole TTL.
 * With the fence, a fill that lands just after an invalidation is dropped.
 */
import type { Redis as IORedis } from "ioredis";
import { logger } from "@/server/observability/logger";

/** Longer than any read-to-fill window (a query under load), short enough to cost nothing. */
export const FENCE_SECONDS = 5;
const PREFIX = "lanes:cache:v1:";

export interface CacheStore {
  readonly kind: "redis" | "memory";
  get(keys: readonly string[]): Promise<Array<string | null>>;
  fill(key: string, value: string, ttlSeconds: number): Promise<void>;
  invalidate(keys: readonly string[]): Promise<void>;
  /** Forget everything (a process-local store, after invalidations may have been missed). */
  clear?(): void;
}

type Entry = { value: string; expiresAt: number };

/** This process only; bounded (the oldest entries go first). */
export class MemoryCacheStore implements CacheStore {
  readonly kind = "memory";
  private readonly entries = new Map<string, Entry>();
  private readonly fences = new Map<string, number>();

  constructor(
    private readonly maxEntries = 50_000,
    private readonly now: () => number = Date.now,
  ) {}

  get(keys: readonly string[]): Promise<Array<string | null>> {
    return Promise.resolve(keys.map((key) => this.read(key)));
  }

  private read(key: string): string | null {
    const entry = this.entries.get(key);
    if (!entry) return null;
    if (entry.expiresAt > this.now()) return entry.value;
    this.entries.delete(key);
    return null;
  }

  fill(key: string, value: string, ttlSeconds: number): Promise<void> {
    const fence = this.fences.get(key);
    if (fence !== undefined && fence > this.now()) return Promise.resolve();
    if (fence !== undefined) this.fences.delete(key);
    this.entries.delete(key); // re-inserted last: Map order is the eviction order
    this.entries.set(key, { value, expiresAt: this.now() + ttlSeconds * 1000 });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
    return Promise.resolve();
  }

  invalidate(keys: readonly string[]): Promise<void> {
    const until = this.now() + FENCE_SECONDS * 1000;
    for (const key of keys) {
      this.entries.delete(key);
      this.fences.set(key, until);
    }
    if (this.fences.size > this.maxEntries) this.sweepFences();
    return Promise.resolve();
  }

  clear(): void {
    this.entries.clear();
  }

  private sweepFences(): void {
    const now = this.now();
    for (const [key, until] of this.fences) if (until <= now) this.fences.delete(key);
  }
}

/** SET unless the fence key exists: atomic, so an invalidation cannot slip between check and write. */
const FILL_SCRIPT = `if redis.call('exists', KEYS[2]) == 0 then redis.call('set', KEYS[1], ARGV[1], 'EX', ARGV[2]) end return 1`;

/**
 * Redis, shared by every instance. A Redis that is not connected is skipped at once (reads go to
 * PostgreSQL, no waiting); an invalidation that could not be sent is retried when the connection is
 * back, so an entry cannot outlive a change by more than the outage (and never its TTL).
 */
export class RedisCacheStore implements CacheStore {
  readonly kind = "redis";
  private readonly pending = new Set<string>();
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

  async get(keys: readonly string[]): Promise<Array<string | null>> {
    if (!this.usable || keys.length === 0) return keys.map(() => null);
    try {
      return await this.redis.mget(keys.map((key) => PREFIX + key));
    } catch (error) {
      this.warn(error, "get");
      return keys.map(() => null);
    }
  }

  async fill(key: string, value: string, ttlSeconds: number): Promise<void> {
    if (!this.usable) return;
    try {
      await this.redis.eval(FILL_SCRIPT, 2, PREFIX + key, `${PREFIX}fence:${key}`, value, ttlSeconds);
    } catch (error) {
      this.warn(error, "fill");
    }
  }

  async invalidate(keys: readonly string[]): Promise<void> {
    if (keys.length === 0) return;
    for (const key of keys) this.pending.add(key);
    await this.flushPending();
  }

  private async flushPending(): Promise<void> {
    if (!this.usable || this.pending.size === 0) return;
    const keys = [...this.pending];
    const batch = this.redis.multi();
    for (const key of keys) {
      batch.del(PREFIX + key);
      batch.set(`${PREFIX}fence:${key}`, "1", "EX", FENCE_SECONDS);
    }
    try {
      await batch.exec();
      for (const key of keys) this.pending.delete(key);
    } catch (error) {
      this.warn(error, "invalidate");
    }
  }
}
