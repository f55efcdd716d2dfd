import type { DbTx } from "./client";

/** The user of an unexpired Auth.js database session, or null. */
export async function findSessionUser(db: DbTx, sessionToken: string, now: Date): Promise<{ userId: string } | null> {
  const session = await db.session.findUnique({ where: { sessionToken }, select: { userId: true, expires: true } });
  return session && session.expires > now ? { userId: session.userId } : null;
}
