/**
 * RateLimit-Limit / RateLimit-Remaining / RateLimit-Reset (IETF httpapi ratelimit-headers,
 * draft 7 field names) and RateLimit-Policy on every answer to a procedure call, so clients
 * can pace themselves before they are refused. Reset is in seconds from now.
 */
import type { RateLimitResult } from "./limiter";

export const RATE_LIMIT_HEADERS = ["ratelimit-limit", "ratelimit-remaining", "ratelimit-reset", "ratelimit-policy"];

/**
 * Writes the result's headers. A batch counts each call; the response reports the budget
 * closest to running out (the lowest remaining). Nothing is written for a check that failed
 * open (the store could not answer: the numbers would be made up).
 */
export function setRateLimitHeaders(
  headers: Headers,
  result: RateLimitResult,
  windowSeconds: number,
  now = Date.now(),
): void {
  if (result.degraded) return;
  const remaining = Math.max(0, result.remaining);
  const current = headers.get("ratelimit-remaining");
  if (current !== null && Number(current) <= remaining) return;
  headers.set("ratelimit-limit", String(result.limit));
  headers.set("ratelimit-remaining", String(remaining));
  headers.set("ratelimit-reset", String(Math.max(0, Math.ceil((result.reset - now) / 1000))));
  headers.set("ratelimit-policy", `${result.limit};w=${windowSeconds}`);
}
