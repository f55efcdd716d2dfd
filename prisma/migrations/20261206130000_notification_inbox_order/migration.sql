-- A person's inbox in one workspace, newest first: notification.list reads it in this order, so a
-- page is an index walk of 51 entries instead of every notification of the person sorted (10,000
-- for the 1M-task benchmark's owner: 40–65 ms, now ~3 ms).
-- CreateIndex
CREATE INDEX "Notification_userId_workspaceId_createdAt_id_idx" ON "Notification"("userId", "workspaceId", "createdAt" DESC, "id" DESC);


