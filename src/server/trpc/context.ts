/**
 * Per-request context. Built once per HTTP request (shared by a batch) or once
 * per server-side caller. Authentication happens here; authorization in the
 * procedures (./procedures.ts).
 */
import type { Db } from "@/server/db/client";
import { db } from "@/server/db/client";
import { logger, type Logger } from "@/server/observability/logger";
import { resolveRequestId } from "@/server/observability/request-id";
import { auth } from "@/server/auth/config";

export type Viewer = { userId: string };

export type Context = {
  db: Db;
  viewer: Viewer | null;
  requestId: string;
  /** Client IP (for anonymous rate limits); "unknown" when not behind HTTP. */
  ip: string;
  log: Logger;
  /** Response headers (HTTP only), e.g. Retry-After. */
  resHeaders?: Headers;
};

export function createInnerContext(opts: { db: Db; viewer: Viewer | null; requestId?: string; ip?: string; resHeaders?: Headers }): Context {
  const requestId = opts.requestId ?? resolveRequestId(null);
  return {
    db: opts.db,
    viewer: opts.viewer,
    requestId,
    ip: opts.ip ?? "unknown",
    log: logger.child({ requestId, userId: opts.viewer?.userId }),
    resHeaders: opts.resHeaders,
  };
}

export function clientIp(headers: Headers): string {
  return headers.get("x-forwarded-for")?.split(",")[0]?.trim() || headers.get("x-real-ip") || "unknown";
}

/** Context for /api/trpc: reads the Auth.js session cookie. */
export async function createRequestContext(opts: { headers: Headers; requestId: string; resHeaders?: Headers }): Promise<Context> {
  const session = await auth();
  const viewer = session?.user?.id ? { userId: session.user.id } : null;
  return createInnerContext({ db: db(), viewer, requestId: opts.requestId, ip: clientIp(opts.headers), resHeaders: opts.resHeaders });
}
