-- Invitation emails go through the job queue: the token waits encrypted on the row until mailed.
ALTER TABLE "Invitation" ADD COLUMN "tokenSealed" TEXT;
ALTER TABLE "Invitation" ADD COLUMN "emailedAt" TIMESTAMP(3);
ALTER TABLE "Invitation" ADD COLUMN "emailFailedAt" TIMESTAMP(3);
-- Invitations made before this were mailed at once.
UPDATE "Invitation" SET "emailedAt" = "createdAt";
