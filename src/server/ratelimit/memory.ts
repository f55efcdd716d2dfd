import type { RateLimiter, RateLimitResult } from "./limiter";

/**
 * A per-process sliding-window-log limiter for the embedded, single-process setup
 * where no Redis exists. Written by hand because @upstash/ratelimit has no memory
 * store; it keeps the same result shape so callers cannot tell the difference.
 */
export class MemoryRateLimiter implements RateLimiter {
  private readonly hits = new Map<string, number[]>();

  constructor(
    private readonly requests: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  limit(key: string): Promise<RateLimitResult> {
    const now = this.now();
    const since = now - this.windowMs;
    const recent = (this.hits.get(key) ?? []).filter((t) => t > since);
    const success = recent.length < this.requests;
    if (success) recent.push(now);
    this.hits.set(key, recent);
    if (this.hits.size > 50_000) this.evictIdle(since);
    const oldest = recent[0] ?? now;
    return Promise.resolve({ success, limit: this.requests, remaining: Math.max(0, this.requests - recent.length), reset: oldest + this.windowMs });
  }

  /** Drops keys with no hits in the window so memory stays bounded. */
  private evictIdle(since: number): void {
    for (const [key, times] of this.hits) {
      if ((times.at(-1) ?? 0) <= since) this.hits.delete(key);
    }
  }
}
