/** API keys: the rows, and the one lookup every Bearer request makes. */
import type { DbTx } from "./client";
import type { Prisma } from "./generated/client";
import { userSummarySelect } from "./users";

export const apiKeySelect = {
  id: true,
  name: true,
  prefix: true,
  scopes: true,
  createdAt: true,
  lastUsedAt: true,
  expiresAt: true,
  revokedAt: true,
  rateLimitPerMinute: true,
  createdBy: { select: userSummarySelect },
} satisfies Prisma.ApiKeySelect;

export type ApiKeyRow = Prisma.ApiKeyGetPayload<{ select: typeof apiKeySelect }>;

export function createApiKeyRow(
  db: DbTx,
  data: {
    workspaceId: string;
    name: string;
    prefix: string;
    secretHash: string;
    scopes: string[];
    createdById: string;
    expiresAt: Date | null;
    rateLimitPerMinute: number | null;
  },
) {
  return db.apiKey.create({ data, select: apiKeySelect });
}

/** Newest first. Revoked keys stay listed, so managers can see what was turned off and when. */
export function listApiKeyRows(db: DbTx, workspaceId: string) {
  return db.apiKey.findMany({
    where: { workspaceId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    select: apiKeySelect,
  });
}

export function countActiveApiKeys(db: DbTx, workspaceId: string, now: Date) {
  return db.apiKey.count({
    where: { workspaceId, revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] },
  });
}

export function findApiKeyRow(db: DbTx, workspaceId: string, id: string) {
  return db.apiKey.findFirst({ where: { id, workspaceId }, select: apiKeySelect });
}

/** Revokes unless already revoked; null when there was nothing to revoke. */
export async function revokeApiKeyRow(db: DbTx, workspaceId: string, id: string, revokedById: string, at: Date) {
  const { count } = await db.apiKey.updateMany({
    where: { id, workspaceId, revokedAt: null },
    data: { revokedAt: at, revokedById },
  });
  return count === 1;
}

/** The stored hash of a key's secret (to end its cache entry), or null. */
export async function findApiKeySecretHash(db: DbTx, id: string): Promise<string | null> {
  const row = await db.apiKey.findUnique({ where: { id }, select: { secretHash: true } });
  return row?.secretHash ?? null;
}

/**
 * What authenticating a Bearer key needs, in one indexed query: the key and its workspace.
 * (The creator's current role is looked up per call, as for a person: workspaceProcedure.)
 */
export function findApiKeyBySecretHash(db: DbTx, secretHash: string) {
  return db.apiKey.findUnique({
    where: { secretHash },
    select: {
      id: true,
      name: true,
      prefix: true,
      scopes: true,
      createdById: true,
      expiresAt: true,
      revokedAt: true,
      rateLimitPerMinute: true,
      workspace: { select: { id: true, slug: true } },
    },
  });
}

export type ApiKeyAuthRow = NonNullable<Awaited<ReturnType<typeof findApiKeyBySecretHash>>>;

/** Records use; called at most once a minute per key and process (services/api-keys.ts). */
export async function touchApiKey(db: DbTx, id: string, at: Date): Promise<void> {
  await db.apiKey.updateMany({
    where: { id, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: at } }] },
    data: { lastUsedAt: at },
  });
}
