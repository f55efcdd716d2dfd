-- Webhooks for real (docs/decisions/0032-webhooks.md): the draft tables of the first migration were
-- never written by Lanes and kept their secret in plain text; rows someone added by hand cannot be
-- kept (their secret must be encrypted), so they go. Deliveries now log every attempt.
DELETE FROM "Webhook";
-- DropForeignKey
ALTER TABLE "Webhook" DROP CONSTRAINT "Webhook_createdById_fkey";

-- DropIndex
DROP INDEX "Webhook_workspaceId_idx";

-- DropIndex
DROP INDEX "WebhookDelivery_status_nextAttemptAt_idx";

-- DropIndex
DROP INDEX "WebhookDelivery_webhookId_createdAt_idx";

-- AlterTable
ALTER TABLE "Webhook" DROP COLUMN "active",
DROP COLUMN "secret",
ADD COLUMN     "consecutiveFailures" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "description" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "disabledReason" TEXT,
ADD COLUMN     "enabled" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "secretCiphertext" TEXT NOT NULL,
ALTER COLUMN "createdById" DROP NOT NULL;

-- AlterTable
ALTER TABLE "WebhookDelivery" DROP COLUMN "attempts",
DROP COLUMN "deliveredAt",
DROP COLUMN "error",
DROP COLUMN "event",
DROP COLUMN "responseBody",
DROP COLUMN "responseStatus",
ADD COLUMN     "attemptCount" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "eventId" TEXT,
ADD COLUMN     "eventType" TEXT NOT NULL,
ADD COLUMN     "lastAttemptAt" TIMESTAMP(3),
ADD COLUMN     "workspaceId" TEXT NOT NULL,
ALTER COLUMN "payload" DROP NOT NULL;

-- CreateTable
CREATE TABLE "WebhookAttempt" (
    "id" TEXT NOT NULL,
    "deliveryId" TEXT NOT NULL,
    "trigger" TEXT NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "durationMs" INTEGER NOT NULL,
    "responseStatus" INTEGER,
    "responseExcerpt" TEXT,
    "error" TEXT,

    CONSTRAINT "WebhookAttempt_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "WebhookAttempt_deliveryId_startedAt_idx" ON "WebhookAttempt"("deliveryId", "startedAt");

-- CreateIndex
CREATE INDEX "Webhook_workspaceId_createdAt_idx" ON "Webhook"("workspaceId", "createdAt");

-- CreateIndex
CREATE INDEX "WebhookDelivery_webhookId_createdAt_id_idx" ON "WebhookDelivery"("webhookId", "createdAt" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "WebhookDelivery_eventId_idx" ON "WebhookDelivery"("eventId");

-- CreateIndex
CREATE INDEX "WebhookDelivery_createdAt_idx" ON "WebhookDelivery"("createdAt");

-- AddForeignKey
ALTER TABLE "Webhook" ADD CONSTRAINT "Webhook_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WebhookDelivery" ADD CONSTRAINT "WebhookDelivery_eventId_fkey" FOREIGN KEY ("eventId") REFERENCES "ActivityEvent"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WebhookAttempt" ADD CONSTRAINT "WebhookAttempt_deliveryId_fkey" FOREIGN KEY ("deliveryId") REFERENCES "WebhookDelivery"("id") ON DELETE CASCADE ON UPDATE CASCADE;


