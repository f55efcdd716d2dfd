/**
 * Per-request context. Built once per HTTP request (shared by a batch) or once
 * per server-side caller. Authentication happens here; authorization in the
 * procedures (./procedures.ts).
 */
import type { Db } from "@/server/db/client";
import { logger, type Logger } from "@/server/observability/logger";
import { resolveRequestId } from "@/server/observability/request-id";
import type { ApiKeyCaller } from "@/server/services/api-keys";
import { newReadPin, type ReadPin } from "@/server/db/replicas";

/**
 * Who is calling: a signed-in person, or an API key acting as its creator (`userId`)
 * inside the key's workspace only (workspaceProcedure enforces both).
 */
export type Viewer = { userId: string; apiKey?: ApiKeyCaller };

export type Context = {
  db: Db;
  viewer: Viewer | null;
  requestId: string;
  /** Client IP (for anonymous rate limits); "unknown" when not behind HTTP. */
  ip: string;
  log: Logger;
  /** Response headers (HTTP only), e.g. Retry-After. */
  resHeaders?: Headers;
  /**
   * A Server Component render's calls: its page request was counted against the caller's budget at
   * the door (src/server/http/page-budget.ts), so the calls are not counted again.
   */
  countedByPage?: boolean;
  /** Where this request's queries read from once the first has decided (read replicas; one per request). */
  readPin: ReadPin;
};

export function createInnerContext(opts: {
  db: Db;
  viewer: Viewer | null;
  requestId?: string;
  ip?: string;
  resHeaders?: Headers;
  countedByPage?: boolean;
}): Context {
  const requestId = opts.requestId ?? resolveRequestId(null);
  return {
    db: opts.db,
    viewer: opts.viewer,
    requestId,
    ip: opts.ip ?? "unknown",
    log: logger.child({ requestId, userId: opts.viewer?.userId, apiKey: opts.viewer?.apiKey?.prefix }),
    resHeaders: opts.resHeaders,
    readPin: newReadPin(),
    ...(opts.countedByPage ? { countedByPage: true } : {}),
  };
}
