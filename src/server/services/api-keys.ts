/**
 * API keys (docs/decisions/0026-api-keys.md): created by owners and admins, shown once,
 * stored as a SHA-256 hash. A key acts as its creator inside its workspace, with the
 * lower of its scopes' role and the creator's current role (src/shared/roles.ts).
 */
import { createHash, randomBytes } from "node:crypto";
import { AppError } from "@/server/errors";
import type { Db } from "@/server/db/client";
import {
  countActiveApiKeys,
  createApiKeyRow,
  findApiKeyRow,
  findApiKeySecretHash,
  listApiKeyRows,
  revokeApiKeyRow,
  touchApiKey,
  type ApiKeyRow,
} from "@/server/db/api-keys";
import { findMembersByUserIds } from "@/server/db/memberships";
import { keyRole, scopesUpTo, SCOPE_ROLES, type ApiKeyScope } from "@/shared/roles";
import type { ApiKeyDto, ApiKeyStatus, CreateApiKeyInput, CreatedApiKey } from "@/shared/schemas/api-key";
import { logger } from "@/server/observability/logger";
import type { WorkspaceContext } from "./context";
import { audit } from "./audit";
import { apiKeyBySecretHash } from "@/server/cache/lookups";
import { cacheKeys, invalidateCache } from "@/server/cache/cache";

/** Every key starts with this, so people, logs and secret scanners recognize one. */
export const API_KEY_PREFIX = "lanes_";
/** `lanes_` + 8 characters (shown) + `_` + 43 characters of secret (32 random bytes, base64url). */
const API_KEY_PATTERN = /^lanes_([A-Za-z0-9]{8})_[A-Za-z0-9_-]{43}$/;
const ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
/** Active keys one workspace may hold: enough for any integration, a bound on a runaway script. */
export const MAX_ACTIVE_KEYS = 100;
const DAY_MS = 86_400_000;

/** What a request authenticated by a key carries (Context.viewer.apiKey). */
export type ApiKeyCaller = {
  id: string;
  /** The member the key acts as. */
  createdById: string;
  name: string;
  prefix: string;
  workspaceId: string;
  workspaceSlug: string;
  scopes: string[];
  rateLimitPerMinute: number | null;
};

function hashSecret(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}

function randomAlphanumeric(length: number): string {
  // 248 = 4 × 62: bytes at or above it are skipped, so every character is equally likely.
  let out = "";
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248 && out.length < length) out += ALPHANUMERIC[byte % 62];
    }
  }
  return out;
}

/** A new secret, its visible prefix, and the hash that is stored. */
export function generateApiKey(): { secret: string; prefix: string; secretHash: string } {
  const prefix = `${API_KEY_PREFIX}${randomAlphanumeric(8)}`;
  const secret = `${prefix}_${randomBytes(32).toString("base64url")}`;
  return { secret, prefix, secretHash: hashSecret(secret) };
}

/** The visible prefix of a well-formed key, or null: what logs may show of a presented key. */
export function apiKeyPrefixOf(secret: string): string | null {
  const match = API_KEY_PATTERN.exec(secret);
  return match ? `${API_KEY_PREFIX}${match[1]}` : null;
}

/** A key whose creator left the workspace stops working (keyRole has no role to cap it by). */
export function apiKeyStatus(
  row: Pick<ApiKeyRow, "revokedAt" | "expiresAt">,
  now = new Date(),
  creatorIsMember = true,
): ApiKeyStatus {
  if (row.revokedAt) return "revoked";
  if (row.expiresAt && row.expiresAt <= now) return "expired";
  if (!creatorIsMember) return "creator_left";
  return "active";
}

function toApiKeyDto(row: ApiKeyRow, now = new Date(), creatorIsMember = true): ApiKeyDto {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    scopes: row.scopes.filter((s): s is ApiKeyScope => s === "read" || s === "write" || s === "admin"),
    status: apiKeyStatus(row, now, creatorIsMember),
    createdBy: row.createdBy,
    createdAt: row.createdAt,
    lastUsedAt: row.lastUsedAt,
    expiresAt: row.expiresAt,
    revokedAt: row.revokedAt,
    rateLimitPerMinute: row.rateLimitPerMinute,
  };
}

export async function listApiKeys(ctx: WorkspaceContext): Promise<ApiKeyDto[]> {
  const now = new Date();
  const rows = await listApiKeyRows(ctx.db, ctx.workspace.id);
  const creators = [...new Set(rows.map((row) => row.createdBy.id))];
  const members = new Set((await findMembersByUserIds(ctx.db, ctx.workspace.id, creators)).map((m) => m.userId));
  return rows.map((row) => toApiKeyDto(row, now, members.has(row.createdBy.id)));
}

export async function createApiKey(
  ctx: WorkspaceContext,
  input: Omit<CreateApiKeyInput, "workspaceSlug">,
): Promise<CreatedApiKey> {
  const scopes = scopesUpTo(input.scope);
  // Never more than the creator's own role (and a key keeps being capped by it: keyRole at each use).
  if (keyRole(scopes, ctx.role) !== SCOPE_ROLES[input.scope])
    throw AppError.forbidden("A key cannot have more access than your own role");
  const now = new Date();
  const { secret, prefix, secretHash } = generateApiKey();
  const row = await ctx.db.$transaction(async (tx) => {
    if ((await countActiveApiKeys(tx, ctx.workspace.id, now)) >= MAX_ACTIVE_KEYS)
      throw new AppError(
        "PRECONDITION_FAILED",
        `This workspace has ${MAX_ACTIVE_KEYS} active keys; revoke one you no longer use first`,
      );
    const created = await createApiKeyRow(tx, {
      workspaceId: ctx.workspace.id,
      name: input.name,
      prefix,
      secretHash,
      scopes,
      createdById: ctx.userId,
      expiresAt: input.expiresInDays ? new Date(now.getTime() + input.expiresInDays * DAY_MS) : null,
      rateLimitPerMinute: input.rateLimitPerMinute ?? null,
    });
    await audit(tx, ctx, {
      action: "api_key.created",
      entityId: created.id,
      after: { name: created.name, prefix: created.prefix, scopes },
    });
    return created;
  });
  return { key: toApiKeyDto(row, now), secret };
}

/** Turns a key off for good; revoking a revoked key changes nothing. Effective on the next request. */
export async function revokeApiKey(ctx: WorkspaceContext, input: { id: string }): Promise<ApiKeyDto> {
  const now = new Date();
  const row = await ctx.db.$transaction(async (tx) => {
    const key = await findApiKeyRow(tx, ctx.workspace.id, input.id);
    if (!key) throw AppError.notFound("API key");
    if (await revokeApiKeyRow(tx, ctx.workspace.id, key.id, ctx.userId, now)) {
      await audit(tx, ctx, {
        action: "api_key.revoked",
        entityId: key.id,
        before: { name: key.name, prefix: key.prefix },
      });
      return { ...key, revokedAt: now };
    }
    return key;
  });
  // Refused on the next request, on every instance (a shared cache entry is gone, not waiting for its TTL).
  const secretHash = await findApiKeySecretHash(ctx.db, row.id);
  if (secretHash) await invalidateCache([cacheKeys.apiKey(secretHash)]);
  return toApiKeyDto(row, now);
}

const unauthorized = (message: string) => new AppError("UNAUTHORIZED", message);

/**
 * The key a Bearer secret names, or UNAUTHORIZED saying why not (unknown, revoked, expired).
 * What the key may do in which workspace is decided per call by workspaceProcedure.
 */
export async function authenticateApiKey(db: Db, secret: string, now = new Date()): Promise<ApiKeyCaller> {
  if (!apiKeyPrefixOf(secret))
    throw unauthorized(
      `That is not a Lanes API key (keys start with ${API_KEY_PREFIX}); check the Authorization header`,
    );
  const key = await apiKeyBySecretHash(db, hashSecret(secret));
  if (!key) throw unauthorized("Unknown API key: it may have been mistyped or deleted");
  if (key.revokedAt) throw unauthorized(`This API key (${key.prefix}) was revoked`);
  if (key.expiresAt && key.expiresAt <= now)
    throw unauthorized(`This API key (${key.prefix}) expired on ${key.expiresAt.toISOString()}`);
  recordKeyUse(db, key.id, now);
  return {
    id: key.id,
    createdById: key.createdById,
    name: key.name,
    prefix: key.prefix,
    workspaceId: key.workspace.id,
    workspaceSlug: key.workspace.slug,
    scopes: key.scopes,
    rateLimitPerMinute: key.rateLimitPerMinute,
  };
}

/** How stale "last used" may be: one write per key per process per interval, never one per request. */
export const LAST_USED_INTERVAL_MS = 60_000;
const lastRecorded = new Map<string, number>();

/** Notes that a key was used, writing at most once per LAST_USED_INTERVAL_MS (fire and forget). */
function recordKeyUse(db: Db, keyId: string, now: Date): void {
  const previous = lastRecorded.get(keyId);
  if (previous !== undefined && now.getTime() - previous < LAST_USED_INTERVAL_MS) return;
  lastRecorded.set(keyId, now.getTime());
  if (lastRecorded.size > 10_000) lastRecorded.clear(); // a bound, not an LRU: the worst case is an extra write
  touchApiKey(db, keyId, now).catch((error: unknown) => {
    lastRecorded.delete(keyId);
    logger.warn({ err: error, apiKeyId: keyId }, "could not record API key use");
  });
}
