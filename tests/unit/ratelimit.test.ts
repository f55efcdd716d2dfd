import { describe, expect, it } from "vitest";
import { RATE_POLICIES, windowMs } from "@/server/ratelimit/limiter";
import { MemoryRateLimiter } from "@/server/ratelimit/memory";

/** A hand-driven clock. */
function fakeClock(start = 1_000_000) {
  let t = start;
  return {
    now: () => t,
    set: (value: number) => {
      t = value;
    },
    advance: (ms: number) => {
      t += ms;
    },
  };
}

describe("MemoryRateLimiter", () => {
  it("allows N requests, then blocks", async () => {
    const clock = fakeClock();
    const limiter = new MemoryRateLimiter(3, 60_000, clock.now);
    const results = [];
    for (let i = 0; i < 5; i++) results.push(await limiter.limit("k"));
    expect(results.map((r) => r.success)).toEqual([true, true, true, false, false]);
    expect(results.every((r) => r.limit === 3)).toBe(true);
  });

  it("counts remaining down to zero", async () => {
    const clock = fakeClock();
    const limiter = new MemoryRateLimiter(3, 60_000, clock.now);
    const remaining = [];
    for (let i = 0; i < 5; i++) remaining.push((await limiter.limit("k")).remaining);
    expect(remaining).toEqual([2, 1, 0, 0, 0]);
  });

  it("resets one window after the oldest request in the window", async () => {
    const clock = fakeClock(1_000_000);
    const limiter = new MemoryRateLimiter(2, 10_000, clock.now);
    expect(await limiter.limit("k")).toEqual({ success: true, limit: 2, remaining: 1, reset: 1_010_000 });
    clock.advance(4_000);
    expect(await limiter.limit("k")).toEqual({ success: true, limit: 2, remaining: 0, reset: 1_010_000 });
    clock.advance(1_000);
    expect(await limiter.limit("k")).toEqual({ success: false, limit: 2, remaining: 0, reset: 1_010_000 });
  });

  it("does not count blocked requests", async () => {
    const clock = fakeClock(0);
    const limiter = new MemoryRateLimiter(1, 1_000, clock.now);
    expect((await limiter.limit("k")).success).toBe(true);
    for (let i = 0; i < 10; i++) {
      clock.advance(50);
      expect((await limiter.limit("k")).success).toBe(false);
    }
    clock.set(1_000);
    expect(await limiter.limit("k")).toEqual({ success: true, limit: 1, remaining: 0, reset: 2_000 });
  });

  it("frees capacity as the window slides past old requests", async () => {
    const clock = fakeClock(0);
    const limiter = new MemoryRateLimiter(3, 1_000, clock.now);
    await limiter.limit("k"); // t=0
    clock.set(300);
    await limiter.limit("k"); // t=300
    clock.set(600);
    await limiter.limit("k"); // t=600
    clock.set(999);
    expect((await limiter.limit("k")).success).toBe(false);
    // At t=1000 the request from t=0 has left the window: one slot frees up.
    clock.set(1_000);
    expect(await limiter.limit("k")).toEqual({ success: true, limit: 3, remaining: 0, reset: 1_300 });
    expect((await limiter.limit("k")).success).toBe(false);
    // At t=1300 the request from t=300 leaves too.
    clock.set(1_300);
    expect(await limiter.limit("k")).toEqual({ success: true, limit: 3, remaining: 0, reset: 1_600 });
    // Long after, the whole window is free again.
    clock.set(10_000);
    expect(await limiter.limit("k")).toEqual({ success: true, limit: 3, remaining: 2, reset: 11_000 });
  });

  it("keeps keys independent", async () => {
    const clock = fakeClock(0);
    const limiter = new MemoryRateLimiter(2, 1_000, clock.now);
    await limiter.limit("a");
    await limiter.limit("a");
    expect((await limiter.limit("a")).success).toBe(false);
    expect(await limiter.limit("b")).toEqual({ success: true, limit: 2, remaining: 1, reset: 1_000 });
    expect(await limiter.limit("b")).toEqual({ success: true, limit: 2, remaining: 0, reset: 1_000 });
    expect((await limiter.limit("b")).success).toBe(false);
    expect((await limiter.limit("a")).success).toBe(false);
  });

  it("keeps separate limiter instances independent", async () => {
    const clock = fakeClock(0);
    const one = new MemoryRateLimiter(1, 1_000, clock.now);
    const two = new MemoryRateLimiter(1, 1_000, clock.now);
    expect((await one.limit("k")).success).toBe(true);
    expect((await two.limit("k")).success).toBe(true);
    expect((await one.limit("k")).success).toBe(false);
  });
});

describe("windowMs", () => {
  it("converts seconds, minutes and hours", () => {
    expect(windowMs("1 s")).toBe(1_000);
    expect(windowMs("60 s")).toBe(60_000);
    expect(windowMs("15 m")).toBe(900_000);
    expect(windowMs("60 m")).toBe(3_600_000);
    expect(windowMs("2 h")).toBe(7_200_000);
    expect(windowMs("1 d")).toBe(86_400_000);
  });

  it("converts every configured policy window", () => {
    expect(Object.fromEntries(Object.entries(RATE_POLICIES).map(([name, p]) => [name, windowMs(p.window)]))).toEqual({
      read: 60_000,
      write: 60_000,
      keyRead: 60_000,
      keyWrite: 60_000,
      anonymousRead: 60_000,
      anonymousWrite: 60_000,
      signInEmail: 900_000,
      invite: 3_600_000,
      inviteByInviter: 86_400_000,
      inviteToAddress: 86_400_000,
      workspaceCreate: 86_400_000,
    });
  });

  it("fails closed exactly for the limits that guard mail and free resources", () => {
    const closed = Object.entries(RATE_POLICIES)
      .filter(([, p]) => p.whenStoreFails === "closed")
      .map(([name]) => name);
    expect(closed.sort()).toEqual(["invite", "inviteByInviter", "inviteToAddress", "signInEmail", "workspaceCreate"]);
  });
});

describe("MemoryRateLimiter memory bound", () => {
  it("keeps at most maxKeys keys, dropping the least recently seen", async () => {
    const limiter = new MemoryRateLimiter(5, 60_000, () => 1_000, 3);
    for (const k of ["a", "b", "c"]) await limiter.limit(k);
    await limiter.limit("a"); // a is now the most recent
    await limiter.limit("d"); // evicts b, the least recently seen
    expect(limiter.size).toBe(3);
    // b starts over with a full budget; a kept its two hits.
    expect((await limiter.limit("b")).remaining).toBe(4);
    expect((await limiter.limit("a")).remaining).toBe(2);
  });
});
