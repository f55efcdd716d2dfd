import "server-only";
import { db } from "@/server/db/client";
import { env } from "@/server/env";
import { sessionUserId } from "@/server/auth/session";
import { clientIpFrom } from "@/server/http/client-ip";
import { createInnerContext, type Context } from "./context";
import { toTRPCError } from "./errors";

/** Context for /api/trpc: the session cookie's user. A database outage here is a 503, not a 401 or 500. */
export async function createRequestContext(opts: {
  headers: Headers;
  requestId: string;
  resHeaders?: Headers;
}): Promise<Context> {
  let userId: string | null;
  try {
    userId = await sessionUserId(db(), opts.headers.get("cookie"), env().APP_URL);
  } catch (error) {
    throw toTRPCError(error);
  }
  return createInnerContext({
    db: db(),
    viewer: userId ? { userId } : null,
    requestId: opts.requestId,
    ip: clientIpFrom(opts.headers),
    resHeaders: opts.resHeaders,
  });
}
