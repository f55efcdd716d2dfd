/**
 * Which row of RATE_POLICIES a procedure call is counted against, and under which key:
 * a person's session, an API key (with its own budget if it sets one), or the client IP.
 */
import type { LimitCheck } from "./limiter";
import { addressBucket } from "@/server/http/client-ip";

export type BudgetCaller = { userId: string; apiKey?: { id: string; rateLimitPerMinute: number | null } } | null;

export function callerBudget(caller: BudgetCaller, ip: string, isWrite: boolean): LimitCheck {
  if (caller?.apiKey) {
    const { id, rateLimitPerMinute } = caller.apiKey;
    return {
      policy: isWrite ? "keyWrite" : "keyRead",
      key: `key:${id}`,
      ...(rateLimitPerMinute !== null ? { requests: rateLimitPerMinute } : {}),
    };
  }
  if (caller) return { policy: isWrite ? "write" : "read", key: `user:${caller.userId}` };
  return { policy: isWrite ? "anonymousWrite" : "anonymousRead", key: `ip:${addressBucket(ip)}` };
}
