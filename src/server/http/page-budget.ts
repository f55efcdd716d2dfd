/**
 * Pages count against their caller's rate-limit budget once per request, here at the door (serve.ts),
 * before Next renders them: a GET or HEAD against the read budget, anything else (a Server Action's
 * POST) against the write budget — the same budgets, keyed the same way, as the API's calls (src/server/ratelimit/budgets.ts).
 * A spent budget is a 429 page with Retry-After. The procedures a counted page's Server Components
 * call while rendering are not counted again (src/trpc/server.tsx, told by markPageCounted): a board
 * is a dozen of them, and a refusal thrown inside a render could only become Next's 500.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { db } from "@/server/db/client";
import { env } from "@/server/env";
import { sessionUserId } from "@/server/auth/session";
import { callerBudget } from "@/server/ratelimit/budgets";
import { consume, retryAfterSeconds } from "@/server/ratelimit/limiter";
import { logger } from "@/server/observability/logger";
import { CLIENT_IP_HEADER, PAGE_COUNTED_HEADER, UNKNOWN_CLIENT } from "./client-ip";
import { CONSTANT_HEADERS } from "./response-headers";

/** The files in public/ and Next's assets: served, never rendered. */
const FILES = new Set(["/icon.svg", "/favicon.ico", "/robots.txt", "/manifest.webmanifest"]);
const BASE = "http://lanes.invalid";

/**
 * Whether the door counts this request: everything Next might render, except the API (counted per
 * call), Next's static assets, the public files, and Link prefetches (their render's calls are
 * counted one by one instead, as unmarked renders are). A path Next would rewrite first (dot
 * segments, an absolute-form target, odd escapes) always counts: Next may render a page for it.
 */
export function isPageRequest(url: string | undefined, headers: IncomingMessage["headers"] = {}): boolean {
  if (!url) return false;
  if (headers["next-router-prefetch"] !== undefined || headers.purpose === "prefetch") return false;
  const queryAt = url.indexOf("?");
  const raw = queryAt === -1 ? url : url.slice(0, queryAt);
  let path: string;
  try {
    path = new URL(raw, BASE).pathname;
  } catch {
    return true;
  }
  if (path !== raw) return true;
  return !(
    path.startsWith("/api/") ||
    path.startsWith("/_next/static/") ||
    path.startsWith("/_next/image") ||
    FILES.has(path)
  );
}

/** Tells the render (src/trpc/server.tsx) whether its calls were counted here; a client's copy is replaced. */
export function markPageCounted(req: IncomingMessage, counted: boolean, edgeToken: string): void {
  if (counted) req.headers[PAGE_COUNTED_HEADER] = edgeToken;
  else delete req.headers[PAGE_COUNTED_HEADER];
}

function isRead(method: string | undefined): boolean {
  return method === "GET" || method === "HEAD";
}

/** Seconds the caller must wait, or null to serve the page (also when the store or the database cannot say). */
export async function pageRefusal(req: IncomingMessage): Promise<number | null> {
  try {
    const cookie = req.headers.cookie ?? null;
    const userId = cookie ? await sessionUserId(db(), cookie, env().APP_URL) : null;
    const ip = req.headers[CLIENT_IP_HEADER];
    const check = callerBudget(
      userId ? { userId } : null,
      typeof ip === "string" ? ip : UNKNOWN_CLIENT,
      !isRead(req.method),
    );
    const result = await consume(check);
    return result && !result.success ? retryAfterSeconds(result) : null;
  } catch (error) {
    // The page's own render meets the same outage and answers it (a 503 page); never a 500 from here.
    logger.warn({ err: error }, "page budget could not be checked; serving the page");
    return null;
  }
}

/** The refusal, as a page a person can read and a client can act on (Retry-After). */
export function sendTooManyRequests(res: ServerResponse, seconds: number): void {
  const body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Too many requests · Lanes</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="font-family: system-ui, sans-serif; max-width: 32rem; margin: 4rem auto; padding: 0 1rem; color: #18181b">
<h1 style="font-size: 1.25rem">Too many requests</h1>
<p>You have opened a lot of pages in a short time. Try again in ${seconds} second${seconds === 1 ? "" : "s"}.</p>
</body></html>`;
  res.writeHead(429, {
    ...Object.fromEntries(CONSTANT_HEADERS.map(({ key, value }) => [key, value])),
    // Nothing on this page loads or runs; its only styling is inline.
    "content-security-policy":
      "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
    "content-type": "text/html; charset=utf-8",
    "cache-control": "no-store",
    "retry-after": String(seconds),
    "content-length": Buffer.byteLength(body),
  });
  res.end(body);
}
