-- In-app "due soon" notifications (src/server/services/due-digest.ts): the daily job tells each
-- assignee, in the task's workspace, of their open tasks due today or tomorrow.
ALTER TYPE "NotificationType" ADD VALUE 'DUE_SOON';
