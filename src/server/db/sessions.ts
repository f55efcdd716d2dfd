import type { DbTx } from "./client";

/** An Auth.js database session's user and expiry (expired or not), or null. */
export function findSession(db: DbTx, sessionToken: string): Promise<{ userId: string; expires: Date } | null> {
  return db.session.findUnique({ where: { sessionToken }, select: { userId: true, expires: true } });
}
