import { describe, expect, it } from "vitest";
import { setRateLimitHeaders } from "@/server/ratelimit/headers";
import { callerBudget } from "@/server/ratelimit/budgets";

const NOW = 1_800_000_000_000;

describe("setRateLimitHeaders", () => {
  it("writes limit, remaining, seconds to reset and the policy", () => {
    const headers = new Headers();
    setRateLimitHeaders(headers, { success: true, limit: 600, remaining: 598, reset: NOW + 41_200 }, 60, NOW);
    expect(Object.fromEntries(headers)).toEqual({
      "ratelimit-limit": "600",
      "ratelimit-remaining": "598",
      "ratelimit-reset": "42",
      "ratelimit-policy": "600;w=60",
    });
  });

  it("reports the budget closest to running out across a batch", () => {
    const headers = new Headers();
    setRateLimitHeaders(headers, { success: true, limit: 600, remaining: 10, reset: NOW + 5_000 }, 60, NOW);
    setRateLimitHeaders(headers, { success: true, limit: 120, remaining: 50, reset: NOW + 9_000 }, 60, NOW);
    expect(headers.get("ratelimit-remaining")).toBe("10");
    expect(headers.get("ratelimit-limit")).toBe("600");
    setRateLimitHeaders(headers, { success: false, limit: 120, remaining: -1, reset: NOW + 9_000 }, 60, NOW);
    expect(headers.get("ratelimit-remaining")).toBe("0");
    expect(headers.get("ratelimit-limit")).toBe("120");
  });

  it("writes nothing when the store could not answer (the numbers would be made up)", () => {
    const headers = new Headers();
    setRateLimitHeaders(headers, { success: true, limit: 600, remaining: 600, reset: NOW, degraded: true }, 60, NOW);
    expect([...headers]).toEqual([]);
  });
});

describe("callerBudget", () => {
  it("counts people per user, reads and writes apart", () => {
    expect(callerBudget({ userId: "u1" }, "203.0.113.9", false)).toEqual({ policy: "read", key: "user:u1" });
    expect(callerBudget({ userId: "u1" }, "203.0.113.9", true)).toEqual({ policy: "write", key: "user:u1" });
  });

  it("counts API keys per key, apart from their creator, with the key's own budget when set", () => {
    const key = { id: "k1", rateLimitPerMinute: null };
    expect(callerBudget({ userId: "u1", apiKey: key }, "x", false)).toEqual({ policy: "keyRead", key: "key:k1" });
    expect(callerBudget({ userId: "u1", apiKey: { ...key, rateLimitPerMinute: 30 } }, "x", true)).toEqual({
      policy: "keyWrite",
      key: "key:k1",
      requests: 30,
    });
  });

  it("counts anonymous callers per IP (IPv6 per /64)", () => {
    expect(callerBudget(null, "203.0.113.9", false)).toEqual({ policy: "anonymousRead", key: "ip:203.0.113.9" });
    expect(callerBudget(null, "2001:db8:1:2:3:4:5:6", true).key).toBe(callerBudget(null, "2001:db8:1:2::9", true).key);
  });
});
