-- API keys (docs/decisions/0026-api-keys.md): a per-key budget, who revoked a key, and the key
-- behind an activity event (its actor is then the key's creator).
DROP INDEX "ApiKey_workspaceId_idx";
CREATE INDEX "ApiKey_workspaceId_createdAt_idx" ON "ApiKey"("workspaceId", "createdAt");

ALTER TABLE "ApiKey" ADD COLUMN "rateLimitPerMinute" INTEGER,
ADD COLUMN "revokedById" TEXT;
ALTER TABLE "ApiKey" ADD CONSTRAINT "ApiKey_rateLimitPerMinute_check" CHECK ("rateLimitPerMinute" IS NULL OR "rateLimitPerMinute" > 0);
ALTER TABLE "ApiKey" ADD CONSTRAINT "ApiKey_revokedById_fkey" FOREIGN KEY ("revokedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- A nullable column without a default: no table rewrite, even with millions of events.
ALTER TABLE "ActivityEvent" ADD COLUMN "apiKeyId" TEXT;
-- NOT VALID, then VALIDATE: the check of existing rows (all NULL) does not block writes to the feed.
ALTER TABLE "ActivityEvent" ADD CONSTRAINT "ActivityEvent_apiKeyId_fkey" FOREIGN KEY ("apiKeyId") REFERENCES "ApiKey"("id") ON DELETE SET NULL ON UPDATE CASCADE NOT VALID;
ALTER TABLE "ActivityEvent" VALIDATE CONSTRAINT "ActivityEvent_apiKeyId_fkey";
