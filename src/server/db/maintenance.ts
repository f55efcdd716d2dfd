/** Deleting what has outlived its use. Each function returns how many rows it removed. */
import type { Db, DbTx } from "./client";

export async function deleteExpiredSessions(db: DbTx, now: Date): Promise<number> {
  return (await db.session.deleteMany({ where: { expires: { lt: now } } })).count;
}

export async function deleteExpiredSignInTokens(db: DbTx, now: Date): Promise<number> {
  return (await db.verificationToken.deleteMany({ where: { expires: { lt: now } } })).count;
}

/** Invitations no longer usable (expired, revoked or accepted) since before `before`. */
export async function deleteSpentInvitations(db: DbTx, before: Date): Promise<number> {
  const { count } = await db.invitation.deleteMany({
    where: { OR: [{ expiresAt: { lt: before } }, { revokedAt: { lt: before } }, { acceptedAt: { lt: before } }] },
  });
  return count;
}

export async function deleteMailboxMessagesBefore(db: DbTx, before: Date): Promise<number> {
  return (await db.mailboxMessage.deleteMany({ where: { createdAt: { lt: before } } })).count;
}

/**
 * Runs `work` in one transaction, only if no other transaction is running it (a transaction-level
 * advisory lock: a session-level one could be taken on one pooled connection and released on
 * another). Several app instances on one database therefore purge once, not N times.
 */
export async function inExclusiveTransaction<T>(db: Db, name: string, work: (tx: DbTx) => Promise<T>): Promise<{ ran: true; result: T } | { ran: false }> {
  return db.$transaction(async (tx) => {
    const [row] = await tx.$queryRaw<Array<{ locked: boolean }>>`SELECT pg_try_advisory_xact_lock(hashtext(${name})) AS locked`;
    if (!row?.locked) return { ran: false as const };
    return { ran: true as const, result: await work(tx) };
  });
}
