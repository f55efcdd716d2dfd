-- The audit trail keeps only what its readers may see (src/server/services/audit.ts):
-- comment events point at the comment (the feed shows its live text) instead of
-- copying it, descriptions are recorded as their length, and a removed member's
-- email is not kept. This migration links existing comment events and scrubs the
-- text that older events stored.

-- AlterTable
ALTER TABLE "ActivityEvent" ADD COLUMN     "commentId" TEXT;

-- CreateIndex
CREATE INDEX "ActivityEvent_commentId_idx" ON "ActivityEvent"("commentId");

-- AddForeignKey
ALTER TABLE "ActivityEvent" ADD CONSTRAINT "ActivityEvent_commentId_fkey" FOREIGN KEY ("commentId") REFERENCES "Comment"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Link existing comment events to their comment.
UPDATE "ActivityEvent" AS e
SET "commentId" = e."entityId"
WHERE e."entityType" = 'comment'
  AND EXISTS (SELECT 1 FROM "Comment" AS c WHERE c."id" = e."entityId");

-- Comment text: comment.created and comment.edited stored (up to 500 characters of) the body.
UPDATE "ActivityEvent"
SET "before" = NULLIF("before" - 'body', '{}'::jsonb),
    "after" = NULLIF("after" - 'body', '{}'::jsonb)
WHERE "entityType" = 'comment'
  AND (jsonb_exists("before", 'body') OR jsonb_exists("after", 'body'));

-- Descriptions: task.updated and project.updated stored the full text before and after.
UPDATE "ActivityEvent"
SET "before" = CASE
      WHEN jsonb_typeof("before" -> 'description') = 'string'
        THEN jsonb_set("before", '{description}', jsonb_build_object('length', char_length("before" ->> 'description')))
      ELSE "before"
    END,
    "after" = CASE
      WHEN jsonb_typeof("after" -> 'description') = 'string'
        THEN jsonb_set("after", '{description}', jsonb_build_object('length', char_length("after" ->> 'description')))
      ELSE "after"
    END
WHERE "entityType" IN ('task', 'project')
  AND (jsonb_typeof("before" -> 'description') = 'string' OR jsonb_typeof("after" -> 'description') = 'string');

-- A removed member's email address.
UPDATE "ActivityEvent"
SET "before" = "before" - 'email'
WHERE "action" = 'member.removed'
  AND jsonb_exists("before", 'email');
