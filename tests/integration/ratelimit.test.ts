/**
 * The rate limiter on its real stores. Redis cases run whenever REDIS_URL is set
 * (always in CI, where an unreachable Redis fails the run in global setup).
 */
import { createHash, randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { createRateLimiter, STORE_TIMEOUT_MS, type RateLimitStore } from "@/server/ratelimit/limiter";
import { createRedisClient } from "@/server/redis";
import { AppError } from "@/server/errors";
import { IORedisRatelimitAdapter } from "@/server/ratelimit/ioredis-adapter";

const redisUrl = process.env.REDIS_URL;

function key(): string {
  return `test-${randomBytes(6).toString("hex")}`;
}

async function exhaust(store: RateLimitStore, requests: number) {
  const limiter = createRateLimiter(store, `test-${key()}`, { requests, window: "60 s", whenStoreFails: "open" });
  const k = key();
  const results = [];
  for (let i = 0; i < requests + 2; i++) results.push(await limiter.limit(k));
  return results;
}

describe("memory store", () => {
  it("allows the budget, then refuses, counting down remaining", async () => {
    const results = await exhaust({ kind: "memory" }, 3);
    expect(results.map((r) => r.success)).toEqual([true, true, true, false, false]);
    expect(results.map((r) => r.remaining)).toEqual([2, 1, 0, 0, 0]);
  });
});

describe.runIf(redisUrl)("Redis store (REDIS_URL)", () => {
  const client = new Redis(redisUrl ?? "", { maxRetriesPerRequest: 1 });
  afterAll(() => client.disconnect());

  it("allows the budget, then refuses, across limiter instances sharing Redis", async () => {
    const name = `shared-${key()}`;
    const a = createRateLimiter({ kind: "redis", client }, name, {
      requests: 4,
      window: "60 s",
      whenStoreFails: "open",
    });
    const b = createRateLimiter({ kind: "redis", client }, name, {
      requests: 4,
      window: "60 s",
      whenStoreFails: "open",
    });
    const k = key();
    const outcomes = [];
    for (let i = 0; i < 6; i++) outcomes.push((await (i % 2 ? a : b).limit(k)).success);
    expect(outcomes).toEqual([true, true, true, true, false, false]);
  });

  it("keeps keys independent and reports a reset time in the future", async () => {
    const limiter = createRateLimiter({ kind: "redis", client }, `indep-${key()}`, {
      requests: 1,
      window: "60 s",
      whenStoreFails: "open",
    });
    const [k1, k2] = [key(), key()];
    expect((await limiter.limit(k1)).success).toBe(true);
    expect((await limiter.limit(k1)).success).toBe(false);
    const other = await limiter.limit(k2);
    expect(other.success).toBe(true);
    expect(other.reset).toBeGreaterThan(Date.now());
  });

  it("loads the library's scripts once, without the shebang Redis 7.0 rejects", async () => {
    const adapter = new IORedisRatelimitAdapter(client);
    const script = "#!lua flags=allow-key-locking\nreturn redis.call('INCR', KEYS[1])";
    const k = key();
    await expect(adapter.evalsha("0000000000000000000000000000000000000000", [k], [])).rejects.toThrow(/NOSCRIPT/);
    expect(await adapter.eval<number>(script, [k], [])).toBe(1);
    const libraryHash = createHash("sha1").update(script).digest("hex");
    // After the first eval, the library's hash resolves to the stripped script.
    expect(await adapter.evalsha<number>(libraryHash, [k], [])).toBe(2);
    await client.del(k);
  });

  it("fails open when Redis is unreachable, for a fail-open policy (reads, writes)", async () => {
    const dead = createRedisClient("redis://127.0.0.1:1", { commandTimeoutMs: STORE_TIMEOUT_MS });
    const limiter = createRateLimiter({ kind: "redis", client: dead }, `dead-${key()}`, {
      requests: 1,
      window: "60 s",
      whenStoreFails: "open",
    });
    const results = [await limiter.limit("k"), await limiter.limit("k")];
    expect(results.every((r) => r.success)).toBe(true);
    dead.disconnect();
  });

  it("fails closed with a retryable UNAVAILABLE when Redis is unreachable, for a fail-closed policy (mail)", async () => {
    const dead = createRedisClient("redis://127.0.0.1:1", { commandTimeoutMs: STORE_TIMEOUT_MS });
    const limiter = createRateLimiter({ kind: "redis", client: dead }, `dead-${key()}`, {
      requests: 5,
      window: "60 s",
      whenStoreFails: "closed",
    });
    const error = await limiter.limit("k").then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: "UNAVAILABLE", details: { retryAfterSeconds: expect.any(Number) } });
    dead.disconnect();
  });

  it("counts calls made before the connection is up (they wait for it instead of passing unlimited)", async () => {
    // A brand-new client: the first commands are issued while it is still connecting.
    const fresh = createRedisClient(redisUrl ?? "", { commandTimeoutMs: STORE_TIMEOUT_MS });
    try {
      const limiter = createRateLimiter({ kind: "redis", client: fresh }, `early-${key()}`, {
        requests: 3,
        window: "60 s",
        whenStoreFails: "open",
      });
      const k = key();
      expect(fresh.status).not.toBe("ready");
      const outcomes = await Promise.all(Array.from({ length: 5 }, () => limiter.limit(k)));
      expect(outcomes.filter((r) => r.success)).toHaveLength(3);
    } finally {
      fresh.disconnect();
    }
  });
});
