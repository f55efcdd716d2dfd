/**
 * The reads every request makes before its procedure runs, through the cache (./cache.ts): the
 * same answers as the PostgreSQL queries they wrap (src/server/db/*), usually without a query.
 * Only found rows are cached: a "no such session / member / key" always asks PostgreSQL, so a
 * membership or key created a moment ago is never denied by a stale miss.
 */
import { z } from "zod";
import type { DbTx } from "@/server/db/client";
import { findApiKeyBySecretHash, type ApiKeyAuthRow } from "@/server/db/api-keys";
import { findMembershipBySlug } from "@/server/db/memberships";
import { findSession } from "@/server/db/sessions";
import { ROLES } from "@/shared/roles";
import { CACHE_TTL_SECONDS, cacheKeys, fillCache, readCached } from "./cache";

const date = z.coerce.date();

const sessionEntry = z.object({ userId: z.string(), expires: date });
const workspaceEntry = z.object({ id: z.string(), slug: z.string(), name: z.string(), createdAt: date });
const membershipEntry = z.object({ id: z.string(), role: z.enum(ROLES), workspaceId: z.string() });
const apiKeyEntry = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  scopes: z.array(z.string()),
  createdById: z.string(),
  expiresAt: date.nullable(),
  revokedAt: date.nullable(),
  rateLimitPerMinute: z.number().int().nullable(),
  workspace: z.object({ id: z.string(), slug: z.string() }),
}) satisfies z.ZodType<ApiKeyAuthRow>;

/** The user of an unexpired session, or null. */
export async function sessionUser(db: DbTx, sessionToken: string, now: Date): Promise<{ userId: string } | null> {
  const key = cacheKeys.session(sessionToken);
  const { values, versions } = await readCached([key], [sessionEntry]);
  let [session] = values;
  if (!session) {
    session = (await findSession(db, sessionToken)) ?? undefined;
    const secondsLeft = session ? Math.floor((session.expires.getTime() - now.getTime()) / 1000) : 0;
    if (session && secondsLeft > 0) fillCache([[key, session]], versions, Math.min(CACHE_TTL_SECONDS, secondsLeft));
  }
  return session && session.expires > now ? { userId: session.userId } : null;
}

export type CallerMembership = NonNullable<Awaited<ReturnType<typeof findMembershipBySlug>>>;

/** The caller's membership (role) of the workspace with this slug, with the workspace; or null. */
export async function membershipBySlug(db: DbTx, userId: string, slug: string): Promise<CallerMembership | null> {
  const workspaceKey = cacheKeys.workspace(slug);
  const membershipKey = cacheKeys.membership(slug, userId);
  const { values, versions } = await readCached([workspaceKey, membershipKey], [workspaceEntry, membershipEntry]);
  const [workspace, membership] = values;
  // Both, and of the same workspace (a slug freed and taken again must not pair old and new).
  if (workspace && membership && membership.workspaceId === workspace.id)
    return { id: membership.id, role: membership.role, workspace };
  const found = await findMembershipBySlug(db, userId, slug);
  if (found)
    fillCache(
      [
        [workspaceKey, found.workspace],
        [membershipKey, { id: found.id, role: found.role, workspaceId: found.workspace.id }],
      ],
      versions,
    );
  return found;
}

/** The key with this secret hash and its workspace, or null. */
export async function apiKeyBySecretHash(db: DbTx, secretHash: string): Promise<ApiKeyAuthRow | null> {
  const key = cacheKeys.apiKey(secretHash);
  const { values, versions } = await readCached([key], [apiKeyEntry]);
  const [cached] = values;
  if (cached) return cached;
  const found = await findApiKeyBySecretHash(db, secretHash);
  if (found) fillCache([[key, found]], versions);
  return found;
}
