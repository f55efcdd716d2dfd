-- Field-level conflict detection (docs/decisions/0013-field-level-conflicts.md): each task
-- records the version at which each editable field last changed, so a stale edit only
-- conflicts when a field it changes was changed since the version it read.

-- AlterTable
ALTER TABLE "Task" ADD COLUMN     "fieldVersions" JSONB NOT NULL DEFAULT '{}';

-- For tasks changed before this migration nobody knows which field changed when: record
-- every field as changed at the current version, so stale edits of them conflict as before.
-- Tasks never changed (version 1) keep '{}': every field is as created.
UPDATE "Task"
SET "fieldVersions" = jsonb_build_object(
  'title', "version",
  'description', "version",
  'status', "version",
  'priority', "version",
  'assigneeId', "version",
  'dueDate', "version",
  'labels', "version"
)
WHERE "version" > 1;
