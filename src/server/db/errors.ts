/** Recognizing database errors by meaning, in one place. */
import { Prisma } from "./generated/client";

function knownError(error: unknown): Prisma.PrismaClientKnownRequestError | null {
  return error instanceof Prisma.PrismaClientKnownRequestError ? error : null;
}

/** A unique constraint was violated (optionally: one involving `field`). */
export function isUniqueViolation(error: unknown, field?: string): boolean {
  const known = knownError(error);
  if (known?.code !== "P2002") return false;
  return field === undefined || JSON.stringify(known.meta ?? {}).includes(field);
}

/** The row to update or delete was not there. */
export function isRecordNotFound(error: unknown): boolean {
  return knownError(error)?.code === "P2025";
}

/** A referenced row disappeared meanwhile (e.g. a label deleted while being assigned). */
export function isForeignKeyViolation(error: unknown): boolean {
  return knownError(error)?.code === "P2003";
}
