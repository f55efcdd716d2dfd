-- Counts kept, not computed (docs/decisions/0025-maintained-counts.md): project.list,
-- project.byKey, task.statusCounts and label.list read these instead of scanning tasks.
--
-- Statement-level triggers keep them in the same transaction as every write to "Task" and
-- "TaskLabel", whoever makes it (the app, a migration, raw SQL, Prisma Studio). A statement's
-- changes are summed first and applied in key order (project then status; label id), so a bulk
-- insert costs one update per counter, and two writers take counter locks in the same order.

-- ─── Live tasks per project and status ─────────────────────────────────────
CREATE TABLE "ProjectStatusCount" (
    "projectId" TEXT NOT NULL,
    "status" "TaskStatus" NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "count" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "ProjectStatusCount_pkey" PRIMARY KEY ("projectId","status")
);

ALTER TABLE "ProjectStatusCount" ADD CONSTRAINT "ProjectStatusCount_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- ─── Live tasks per label ──────────────────────────────────────────────────
ALTER TABLE "Label" ADD COLUMN "taskCount" INTEGER NOT NULL DEFAULT 0;

-- Adds `delta` to a project's count for `status`. A missing row is created for a positive delta;
-- for a negative one it means the project itself is being deleted (its counts went with it).
CREATE FUNCTION lanes_bump_status_count(workspace_id text, project_id text, task_status "TaskStatus", delta integer) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "ProjectStatusCount" SET "count" = "count" + delta WHERE "projectId" = project_id AND "status" = task_status;
  IF NOT FOUND AND delta > 0 THEN
    INSERT INTO "ProjectStatusCount" ("projectId", "status", "workspaceId", "count") VALUES (project_id, task_status, workspace_id, delta)
    ON CONFLICT ("projectId", "status") DO UPDATE SET "count" = "ProjectStatusCount"."count" + EXCLUDED."count";
  END IF;
END $$;

CREATE FUNCTION lanes_bump_label_count(label_id text, delta integer) RETURNS void LANGUAGE sql AS $$
  UPDATE "Label" SET "taskCount" = "taskCount" + delta WHERE id = label_id;
$$;

-- Sets these labels' counts from their rows. For tasks deleted outright (not soft-deleted): their
-- label rows are gone by the time the TaskLabel trigger runs, and whether the task was live is no
-- longer known, so the label is counted again. Labels are locked first, in id order, and counted
-- by a later statement, which sees every transaction that changed them before the lock was ours.
CREATE FUNCTION lanes_recount_labels(label_ids text[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM 1 FROM "Label" WHERE id = ANY (label_ids) ORDER BY id FOR NO KEY UPDATE;
  UPDATE "Label" AS l SET "taskCount" = (
    SELECT count(*) FROM "TaskLabel" tl JOIN "Task" t ON t.id = tl."taskId" AND t."deletedAt" IS NULL WHERE tl."labelId" = l.id
  )
  WHERE l.id = ANY (label_ids);
END $$;

CREATE FUNCTION lanes_task_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE d record;
BEGIN
  FOR d IN
    SELECT "workspaceId", "projectId", "status", count(*)::int AS delta FROM new_rows WHERE "deletedAt" IS NULL
    GROUP BY 1, 2, 3 ORDER BY 2, 3
  LOOP
    PERFORM lanes_bump_status_count(d."workspaceId", d."projectId", d."status", d.delta);
  END LOOP;
  RETURN NULL;
END $$;

CREATE FUNCTION lanes_task_updated() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE d record;
BEGIN
  -- Status, project or liveness changed: move the task between counters.
  FOR d IN
    SELECT "workspaceId", "projectId", "status", sum(delta)::int AS delta FROM (
      SELECT o."workspaceId", o."projectId", o."status", -1 AS delta FROM old_rows o WHERE o."deletedAt" IS NULL
      UNION ALL
      SELECT n."workspaceId", n."projectId", n."status", 1 FROM new_rows n WHERE n."deletedAt" IS NULL
    ) AS change
    GROUP BY 1, 2, 3 HAVING sum(delta) <> 0 ORDER BY 2, 3
  LOOP
    PERFORM lanes_bump_status_count(d."workspaceId", d."projectId", d."status", d.delta);
  END LOOP;
  -- Deleted or restored: its labels count it, or stop counting it.
  FOR d IN
    SELECT tl."labelId", sum(CASE WHEN n."deletedAt" IS NULL THEN 1 ELSE -1 END)::int AS delta
    FROM old_rows o JOIN new_rows n ON n.id = o.id JOIN "TaskLabel" tl ON tl."taskId" = n.id
    WHERE (o."deletedAt" IS NULL) <> (n."deletedAt" IS NULL)
    GROUP BY 1 ORDER BY 1
  LOOP
    PERFORM lanes_bump_label_count(d."labelId", d.delta);
  END LOOP;
  RETURN NULL;
END $$;

CREATE FUNCTION lanes_task_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE d record;
BEGIN
  FOR d IN
    SELECT "workspaceId", "projectId", "status", -count(*)::int AS delta FROM old_rows WHERE "deletedAt" IS NULL
    GROUP BY 1, 2, 3 ORDER BY 2, 3
  LOOP
    PERFORM lanes_bump_status_count(d."workspaceId", d."projectId", d."status", d.delta);
  END LOOP;
  RETURN NULL;
END $$;

-- A label row counts when its task is live. The tasks are locked (FOR SHARE, in id order) before
-- they are read, so a concurrent soft delete of one of them is either seen or waits for us.
CREATE FUNCTION lanes_task_labels_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE d record;
BEGIN
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    PERFORM 1 FROM "Task" WHERE id IN (SELECT "taskId" FROM new_rows) ORDER BY id FOR SHARE;
    FOR d IN
      SELECT n."labelId", count(*)::int AS delta FROM new_rows n JOIN "Task" t ON t.id = n."taskId" AND t."deletedAt" IS NULL
      GROUP BY 1 ORDER BY 1
    LOOP
      PERFORM lanes_bump_label_count(d."labelId", d.delta);
    END LOOP;
  END IF;
  IF TG_OP IN ('DELETE', 'UPDATE') THEN
    PERFORM 1 FROM "Task" WHERE id IN (SELECT "taskId" FROM old_rows) ORDER BY id FOR SHARE;
    FOR d IN
      SELECT o."labelId", -count(*)::int AS delta FROM old_rows o JOIN "Task" t ON t.id = o."taskId" AND t."deletedAt" IS NULL
      GROUP BY 1 ORDER BY 1
    LOOP
      PERFORM lanes_bump_label_count(d."labelId", d.delta);
    END LOOP;
    -- Rows whose task was deleted outright in this statement (a cascade).
    PERFORM lanes_recount_labels(ARRAY(
      SELECT DISTINCT o."labelId" FROM old_rows o WHERE NOT EXISTS (SELECT 1 FROM "Task" t WHERE t.id = o."taskId")
    ));
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER "Task_counts_insert" AFTER INSERT ON "Task" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION lanes_task_inserted();
CREATE TRIGGER "Task_counts_update" AFTER UPDATE ON "Task" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION lanes_task_updated();
CREATE TRIGGER "Task_counts_delete" AFTER DELETE ON "Task" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION lanes_task_deleted();
CREATE TRIGGER "TaskLabel_counts_insert" AFTER INSERT ON "TaskLabel" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION lanes_task_labels_changed();
CREATE TRIGGER "TaskLabel_counts_update" AFTER UPDATE ON "TaskLabel" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION lanes_task_labels_changed();
CREATE TRIGGER "TaskLabel_counts_delete" AFTER DELETE ON "TaskLabel" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION lanes_task_labels_changed();

-- ─── Backfill ──────────────────────────────────────────────────────────────
-- The triggers exist before the backfill and this migration runs in one transaction, so no
-- write is counted twice or missed (LOCK: no task or label changes while the counts are taken).
LOCK TABLE "Task", "TaskLabel" IN SHARE MODE;

INSERT INTO "ProjectStatusCount" ("projectId", "status", "workspaceId", "count")
SELECT "projectId", "status", "workspaceId", count(*)::int FROM "Task" WHERE "deletedAt" IS NULL GROUP BY 1, 2, 3;

UPDATE "Label" AS l SET "taskCount" = c.n
FROM (
  SELECT tl."labelId", count(*)::int AS n FROM "TaskLabel" tl JOIN "Task" t ON t.id = tl."taskId" AND t."deletedAt" IS NULL GROUP BY 1
) AS c
WHERE c."labelId" = l.id;
