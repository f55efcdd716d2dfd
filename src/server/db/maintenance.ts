/**
 * Deleting what has outlived its use, in batches: a backlog (a year of expired sessions) is
 * worked off in short statements that each fit well inside statement_timeout, instead of one
 * DELETE that times out, rolls back and leaves the backlog for next time.
 */
import type { Db, DbTx } from "./client";
import { Prisma } from "./generated/client";

/** Rows per DELETE statement. */
export const PURGE_BATCH = 5_000;
/** The purge's transaction may take this long in all (each statement still has statement_timeout). */
const PURGE_TRANSACTION_MS = 10 * 60_000;

/** Repeats a `DELETE … WHERE ctid IN (SELECT ctid … LIMIT n)` until a batch comes back short. */
async function deleteInBatches(db: DbTx, table: string, condition: Prisma.Sql): Promise<number> {
  let total = 0;
  for (;;) {
    const deleted =
      await db.$executeRaw`DELETE FROM ${Prisma.raw(`"${table}"`)} WHERE ctid IN (SELECT ctid FROM ${Prisma.raw(`"${table}"`)} WHERE ${condition} LIMIT ${PURGE_BATCH})`;
    total += deleted;
    if (deleted < PURGE_BATCH) return total;
  }
}

export function deleteExpiredSessions(db: DbTx, now: Date): Promise<number> {
  return deleteInBatches(db, "Session", Prisma.sql`"expires" < ${now}`);
}

export function deleteExpiredSignInTokens(db: DbTx, now: Date): Promise<number> {
  return deleteInBatches(db, "VerificationToken", Prisma.sql`"expires" < ${now}`);
}

/** Invitations no longer usable (expired, revoked or accepted) since before `before`. */
export function deleteSpentInvitations(db: DbTx, before: Date): Promise<number> {
  return deleteInBatches(
    db,
    "Invitation",
    Prisma.sql`("expiresAt" < ${before} OR "revokedAt" < ${before} OR "acceptedAt" < ${before})`,
  );
}

export function deleteMailboxMessagesBefore(db: DbTx, before: Date): Promise<number> {
  return deleteInBatches(db, "MailboxMessage", Prisma.sql`"createdAt" < ${before}`);
}

/**
 * Runs `work` in one transaction, only if no other transaction is running it (a transaction-level
 * advisory lock: a session-level one could be taken on one pooled connection and released on
 * another). Several app instances on one database therefore purge once, not N times.
 */
export async function inExclusiveTransaction<T>(
  db: Db,
  name: string,
  work: (tx: DbTx) => Promise<T>,
): Promise<{ ran: true; result: T } | { ran: false }> {
  return db.$transaction(
    async (tx) => {
      const [row] = await tx.$queryRaw<
        Array<{ locked: boolean }>
      >`SELECT pg_try_advisory_xact_lock(hashtext(${name})) AS locked`;
      if (!row?.locked) return { ran: false as const };
      return { ran: true as const, result: await work(tx) };
    },
    { timeout: PURGE_TRANSACTION_MS },
  );
}
