-- The hourly purge (src/server/services/maintenance.ts) finds expired rows by these columns.
CREATE INDEX "Session_expires_idx" ON "Session"("expires");
CREATE INDEX "VerificationToken_expires_idx" ON "VerificationToken"("expires");
CREATE INDEX "MailboxMessage_createdAt_idx" ON "MailboxMessage"("createdAt");
