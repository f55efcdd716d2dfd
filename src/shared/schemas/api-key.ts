/** API keys as their managers see them. The secret itself appears once, in the answer to `create`. */
import { z } from "zod";
import { idSchema, inWorkspace, nameSchema, userSummarySchema } from "./common";
import { API_KEY_SCOPES } from "../roles";

export const apiKeyScopeSchema = z.enum(API_KEY_SCOPES);

/**
 * active: usable; expired: past its expiry; revoked: turned off by a manager; creator_left: its
 * creator is no longer a member, so it acts with no role (it works again if they rejoin).
 */
export const apiKeyStatusSchema = z.enum(["active", "expired", "revoked", "creator_left"]);
export type ApiKeyStatus = z.infer<typeof apiKeyStatusSchema>;

/** The most requests per minute a key may be given (the default budget applies when unset). */
export const MAX_KEY_RATE_LIMIT = 6_000;
/** How far ahead a key may expire. */
export const MAX_KEY_LIFETIME_DAYS = 366;

export const apiKeySchema = z.object({
  id: z.string(),
  name: z.string(),
  /** `lanes_` and 8 characters: shown in the list and in logs, never enough to use the key. */
  prefix: z.string(),
  /** Cumulative: `write` keys also hold `read`. */
  scopes: z.array(apiKeyScopeSchema),
  status: apiKeyStatusSchema,
  createdBy: userSummarySchema,
  createdAt: z.date(),
  /** Approximate: recorded at most once a minute per server process. */
  lastUsedAt: z.date().nullable(),
  expiresAt: z.date().nullable(),
  revokedAt: z.date().nullable(),
  rateLimitPerMinute: z.number().int().nullable(),
});
export type ApiKeyDto = z.infer<typeof apiKeySchema>;

export const createApiKeyInput = inWorkspace({
  name: nameSchema,
  /** The highest scope; the key holds it and every scope below it. */
  scope: apiKeyScopeSchema,
  /** Days until the key stops working; null or absent: never expires. */
  expiresInDays: z
    .number()
    .int("Use a whole number of days")
    .min(1, "At least 1 day")
    .max(MAX_KEY_LIFETIME_DAYS, `At most ${MAX_KEY_LIFETIME_DAYS} days`)
    .nullish(),
  /** Requests per minute; null or absent: the default budget for API keys. */
  rateLimitPerMinute: z
    .number()
    .int("Use a whole number")
    .min(1, "At least 1")
    .max(MAX_KEY_RATE_LIMIT, `At most ${MAX_KEY_RATE_LIMIT}`)
    .nullish(),
});
export type CreateApiKeyInput = z.infer<typeof createApiKeyInput>;

/** The new key, and its secret: shown once, never stored in a form that can be read back. */
export const createdApiKeySchema = z.object({ key: apiKeySchema, secret: z.string() });
export type CreatedApiKey = z.infer<typeof createdApiKeySchema>;

export const apiKeyListSchema = z.array(apiKeySchema);
export const listApiKeysInput = inWorkspace({});
export const revokeApiKeyInput = inWorkspace({ id: idSchema });
