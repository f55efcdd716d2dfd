import type { RateLimiter, RateLimitResult } from "./limiter";

/** Keys kept at most; beyond it the least recently seen are dropped (memory stays bounded). */
const MAX_KEYS = 10_000;

/**
 * A per-process sliding-window-log limiter for the embedded, single-process setup
 * where no Redis exists. Written by hand because @upstash/ratelimit has no memory
 * store; it keeps the same result shape so callers cannot tell the difference.
 */
export class MemoryRateLimiter implements RateLimiter {
  /** Insertion order is recency order: a key is re-inserted on every hit. */
  private readonly hits = new Map<string, number[]>();

  constructor(
    private readonly requests: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
    private readonly maxKeys: number = MAX_KEYS,
  ) {}

  limit(key: string): Promise<RateLimitResult> {
    const now = this.now();
    const since = now - this.windowMs;
    const recent = (this.hits.get(key) ?? []).filter((t) => t > since);
    const success = recent.length < this.requests;
    if (success) recent.push(now);
    this.hits.delete(key);
    this.hits.set(key, recent);
    // O(1) per call: drop the least recently seen key when over the cap.
    if (this.hits.size > this.maxKeys) this.hits.delete(this.hits.keys().next().value!);
    const oldest = recent[0] ?? now;
    return Promise.resolve({
      success,
      limit: this.requests,
      remaining: Math.max(0, this.requests - recent.length),
      reset: oldest + this.windowMs,
    });
  }

  /** Number of keys held (for tests). */
  get size(): number {
    return this.hits.size;
  }
}
