import "server-only";
import { db } from "@/server/db/client";
import type { Session } from "next-auth";
import { auth } from "@/server/auth/config";
import { createInnerContext, type Context } from "./context";
import { clientIpFrom } from "@/server/http/client-ip";
import { toTRPCError } from "./errors";

/** Context for /api/trpc: reads the Auth.js session cookie. A database outage here is a 503, not a 500. */
export async function createRequestContext(opts: { headers: Headers; requestId: string; resHeaders?: Headers }): Promise<Context> {
  let session: Session | null;
  try {
    session = await auth();
  } catch (error) {
    throw toTRPCError(error);
  }
  const viewer = session?.user?.id ? { userId: session.user.id } : null;
  return createInnerContext({ db: db(), viewer, requestId: opts.requestId, ip: clientIpFrom(opts.headers), resHeaders: opts.resHeaders });
}
