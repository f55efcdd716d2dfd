import type { DbTx } from "@/server/db/client";
import { findUserById, trySetHandle } from "@/server/db/users";
import type { UserSummary } from "@/shared/schemas/common";

/** `Alice.Smith+work@x.io` → `alice-smith`: lowercase letters, digits and hyphens, 2–30 chars. */
export function handleFromEmail(email: string): string {
  const local = email.split("@")[0] ?? "";
  const base = local
    .split("+")[0]!
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .slice(0, 24)
    .replace(/^-+|-+$/g, "");
  return base.length >= 2 ? base : `user-${base}`.replace(/-$/, "");
}

/** The name shown before the person sets one: the email's local part. */
export function defaultNameFromEmail(email: string): string {
  return email.split("@")[0] ?? email;
}

/**
 * Gives a new user a unique @mention handle derived from their email,
 * adding a numeric suffix when it is taken.
 */
export async function assignInitialHandle(
  db: DbTx,
  user: { id: string; email: string; name: string | null },
): Promise<string> {
  const base = handleFromEmail(user.email);
  const name = user.name ?? defaultNameFromEmail(user.email);
  for (let attempt = 0; attempt < 20; attempt++) {
    const candidate = attempt === 0 ? base : `${base}-${attempt + 1}`;
    if (await trySetHandle(db, user.id, candidate, name)) return candidate;
  }
  const fallback = `${base}-${user.id.slice(-6)}`;
  await trySetHandle(db, user.id, fallback, name);
  return fallback;
}

/** The signed-in user's public profile, or null when signed out (or the user was deleted). */
export async function getViewer(db: DbTx, userId: string | null): Promise<UserSummary | null> {
  return userId ? findUserById(db, userId) : null;
}
