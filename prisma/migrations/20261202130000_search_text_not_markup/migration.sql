-- Search reads text as text, and the task list searches everything a task says
-- (docs/decisions/0024-complete-search.md).
--
-- 1. PostgreSQL's default parser reads markup: `<script>…</script>` is a tag whose body is
--    skipped, `a<b>c` loses the `b`, `&amp;` is an entity, `user@example.com` and `1.5` are single
--    tokens. Every vector now tokenizes its text with ASCII punctuation turned into spaces, so a
--    document is split into words exactly where the query side (searchWords) splits a query.
-- 2. Task."commentVector": the lexemes of the task's live comments, kept by triggers on Comment.
-- 3. Task."titleVector" (title only) and Task."searchAll" (title, description and comments) are
--    the task list's search columns: matches of all words anywhere, title matches first; and an
--    index to walk a project's tasks by updatedAt (relevance is "title first, then newest updated").
--
-- The generated columns are dropped and added again: PostgreSQL 15 cannot change a generated
-- expression in place, so "Task" and "Comment" are rewritten (about 3 minutes at 1M tasks and
-- 300k comments on a 2-core machine, under an exclusive lock; see docs/performance.md).
SET maintenance_work_mem = '256MB';

-- ─── Comments ──────────────────────────────────────────────────────────────
DROP INDEX "Comment_searchVector_idx";
ALTER TABLE "Comment" DROP COLUMN "searchVector";
ALTER TABLE "Comment" ADD COLUMN "searchVector" tsvector GENERATED ALWAYS AS (
  to_tsvector('english'::regconfig, translate("body", '!"#$%&''()*+,-./:;<=>?@[\]^_`{|}~', '                                '))
  || to_tsvector('simple'::regconfig, translate("body", '!"#$%&''()*+,-./:;<=>?@[\]^_`{|}~', '                                '))
) STORED;
CREATE INDEX "Comment_searchVector_idx" ON "Comment" USING GIN ("searchVector");

-- ─── A task's comments, as one vector ──────────────────────────────────────
-- Kept by the statement triggers below, from the comments' own vectors (no text is parsed
-- twice). Unweighted: ranking never reads it, only matching does.
-- The old task vector goes first, so the backfill does not maintain its index.
DROP INDEX "Task_searchVector_idx";
ALTER TABLE "Task" DROP COLUMN "searchVector";
ALTER TABLE "Task" ADD COLUMN "commentVector" tsvector;

UPDATE "Task" AS t SET "commentVector" = c.v
FROM (
  SELECT c."taskId", array_to_tsvector(array_agg(DISTINCT l.lexeme)) AS v
  FROM "Comment" c CROSS JOIN LATERAL unnest(c."searchVector") AS l
  WHERE c."deletedAt" IS NULL
  GROUP BY c."taskId"
) AS c
WHERE c."taskId" = t.id;

-- Recomputes "commentVector" for these tasks. The rows are locked first, in id order, and the
-- vectors read afterwards, by a statement with a fresh snapshot: two transactions commenting on
-- one task at once therefore see each other's comment (a single UPDATE would compute the
-- second one's vector from a snapshot taken before the first committed).
CREATE FUNCTION lanes_refresh_comment_vectors(task_ids text[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM 1 FROM "Task" WHERE id = ANY (task_ids) ORDER BY id FOR NO KEY UPDATE;
  UPDATE "Task" AS t SET "commentVector" = (
    SELECT array_to_tsvector(array_agg(DISTINCT l.lexeme))
    FROM "Comment" c CROSS JOIN LATERAL unnest(c."searchVector") AS l
    WHERE c."taskId" = t.id AND c."deletedAt" IS NULL
  )
  WHERE t.id = ANY (task_ids);
END $$;

CREATE FUNCTION lanes_comment_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM lanes_refresh_comment_vectors(ARRAY(SELECT DISTINCT "taskId" FROM new_rows WHERE "deletedAt" IS NULL));
  RETURN NULL;
END $$;

CREATE FUNCTION lanes_comment_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Only changes that alter what a task's comments say: text, deletion, or the task itself.
  PERFORM lanes_refresh_comment_vectors(ARRAY(
    SELECT o."taskId" FROM old_rows o JOIN new_rows n ON n.id = o.id
    WHERE o."searchVector" IS DISTINCT FROM n."searchVector" OR (o."deletedAt" IS NULL) <> (n."deletedAt" IS NULL) OR o."taskId" <> n."taskId"
    UNION
    SELECT n."taskId" FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE o."taskId" <> n."taskId"
  ));
  RETURN NULL;
END $$;

CREATE FUNCTION lanes_comment_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM lanes_refresh_comment_vectors(ARRAY(SELECT DISTINCT "taskId" FROM old_rows WHERE "deletedAt" IS NULL));
  RETURN NULL;
END $$;

CREATE TRIGGER "Comment_vector_insert" AFTER INSERT ON "Comment" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION lanes_comment_inserted();
CREATE TRIGGER "Comment_vector_update" AFTER UPDATE ON "Comment" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION lanes_comment_updated();
CREATE TRIGGER "Comment_vector_delete" AFTER DELETE ON "Comment" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION lanes_comment_deleted();

-- ─── Tasks ─────────────────────────────────────────────────────────────────
-- One rewrite of "Task" for all three generated columns.
ALTER TABLE "Task"
  ADD COLUMN "searchVector" tsvector GENERATED ALWAYS AS (
    setweight(
      to_tsvector('english'::regconfig, translate("title", '!"#$%&''()*+,-./:;<=>?@[\]^_`{|}~', '                                '))
      || to_tsvector('simple'::regconfig, translate("title", '!"#$%&''()*+,-./:;<=>?@[\]^_`{|}~', '                                ')),
      'A')
    || setweight(
      to_tsvector('english'::regconfig, translate("description", '!"#$%&''()*+,-./:;<=>?@[\]^_`{|}~', '                                '))
      || to_tsvector('simple'::regconfig, translate("description", '!"#$%&''()*+,-./:;<=>?@[\]^_`{|}~', '                                ')),
      'B')
  ) STORED,
  ADD COLUMN "titleVector" tsvector GENERATED ALWAYS AS (
    to_tsvector('english'::regconfig, translate("title", '!"#$%&''()*+,-./:;<=>?@[\]^_`{|}~', '                                '))
    || to_tsvector('simple'::regconfig, translate("title", '!"#$%&''()*+,-./:;<=>?@[\]^_`{|}~', '                                '))
  ) STORED,
  ADD COLUMN "searchAll" tsvector GENERATED ALWAYS AS (
    to_tsvector('english'::regconfig, translate("title" || ' ' || "description", '!"#$%&''()*+,-./:;<=>?@[\]^_`{|}~', '                                '))
    || to_tsvector('simple'::regconfig, translate("title" || ' ' || "description", '!"#$%&''()*+,-./:;<=>?@[\]^_`{|}~', '                                '))
    || COALESCE("commentVector", ''::tsvector)
  ) STORED;
CREATE INDEX "Task_searchVector_idx" ON "Task" USING GIN ("searchVector");
CREATE INDEX "Task_titleVector_idx" ON "Task" USING GIN ("titleVector");
CREATE INDEX "Task_searchAll_idx" ON "Task" USING GIN ("searchAll");

-- A project's tasks, most recently updated first (relevance order inside a project).
CREATE INDEX "Task_projectId_updatedAt_id_idx" ON "Task"("projectId", "updatedAt" DESC, "id" DESC);

-- The new columns have no statistics until analyzed, and the planner would guess.
ANALYZE "Task";
ANALYZE "Comment";
