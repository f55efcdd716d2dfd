import type { DbTx } from "./client";
import type { Prisma } from "./generated/client";
import { isUniqueViolation } from "./errors";

/** The public face of a user: never tokens, never emailVerified. */
export const userSummarySelect = {
  id: true,
  name: true,
  email: true,
  image: true,
  handle: true,
} satisfies Prisma.UserSelect;

export function findUserById(db: DbTx, id: string) {
  return db.user.findUnique({ where: { id }, select: userSummarySelect });
}

export function findUserByEmail(db: DbTx, email: string) {
  return db.user.findUnique({ where: { email: email.toLowerCase() }, select: userSummarySelect });
}

/** Sets a handle if it is free; false when another user has it. */
export async function trySetHandle(db: DbTx, userId: string, handle: string, name: string | null): Promise<boolean> {
  try {
    await db.user.update({ where: { id: userId }, data: { handle, ...(name ? { name } : {}) } });
    return true;
  } catch (error) {
    if (isUniqueViolation(error)) return false;
    throw error;
  }
}
