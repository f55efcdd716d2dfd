-- In-app "due soon" notifications (src/server/services/due-digest.ts): the daily job tells each
-- assignee, in the task's workspace, of their open tasks due today or tomorrow.
ALTER TYPE "NotificationType" ADD VALUE 'DUE_SOON';

-- The daily job asks, per task, "told about this today?"; and deleting a task cascades to its
-- notifications: both by taskId, which had no index.
CREATE INDEX "Notification_taskId_type_createdAt_idx" ON "Notification"("taskId", "type", "createdAt");
