import { db } from "@/server/db/client";
import { env } from "@/server/env";
import { AppError } from "@/server/errors";
import { sessionUserId } from "@/server/auth/session";
import { clientIpFrom } from "@/server/http/client-ip";
import { authenticateApiKey } from "@/server/services/api-keys";
import { createInnerContext, type Context, type Viewer } from "./context";
import { toTRPCError } from "./errors";

/** `Authorization: Bearer <secret>` → the secret; a header of another shape is refused, not ignored. */
export function bearerSecret(header: string): string {
  const match = /^Bearer[ ]+(\S+)[ ]*$/i.exec(header);
  if (!match?.[1]) throw new AppError("UNAUTHORIZED", "Send the API key as: Authorization: Bearer lanes_…");
  return match[1];
}

/**
 * The caller of an HTTP request (/api/trpc and REST): an API key when an Authorization header
 * is sent (it wins over a cookie), else the session cookie's user, else nobody.
 */
async function viewerOf(headers: Headers): Promise<Viewer | null> {
  const authorization = headers.get("authorization");
  if (authorization !== null) {
    const apiKey = await authenticateApiKey(db(), bearerSecret(authorization));
    return { userId: apiKey.createdById, apiKey };
  }
  const userId = await sessionUserId(db(), headers.get("cookie"), env().APP_URL);
  return userId ? { userId } : null;
}

/** Context for an HTTP request. A database outage here is a 503, not a 401 or 500; a bad key is a 401. */
export async function createRequestContext(opts: {
  headers: Headers;
  requestId: string;
  resHeaders?: Headers;
}): Promise<Context> {
  let viewer: Viewer | null;
  try {
    viewer = await viewerOf(opts.headers);
  } catch (error) {
    throw toTRPCError(error);
  }
  return createInnerContext({
    db: db(),
    viewer,
    requestId: opts.requestId,
    ip: clientIpFrom(opts.headers),
    resHeaders: opts.resHeaders,
  });
}
