import { db } from "@/server/db/client";
import { auth } from "@/server/auth/config";
import { clientIp, createInnerContext, type Context } from "./context";

/** Context for /api/trpc: reads the Auth.js session cookie. */
export async function createRequestContext(opts: { headers: Headers; requestId: string; resHeaders?: Headers }): Promise<Context> {
  const session = await auth();
  const viewer = session?.user?.id ? { userId: session.user.id } : null;
  return createInnerContext({ db: db(), viewer, requestId: opts.requestId, ip: clientIp(opts.headers), resHeaders: opts.resHeaders });
}
