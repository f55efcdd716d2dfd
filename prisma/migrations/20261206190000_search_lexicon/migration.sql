-- The search lexicon: per workspace, every lexeme its search vectors hold (Task."searchVector" covers
-- the title and description, Comment."searchVector" the body; the other vectors are made of the same
-- words). A search word is a prefix; a GIN index answers a prefix with a "partial match" that gathers
-- the postings of every lexeme it covers into a bitmap first, which for two common words costs ~22 ms
-- at 1M tasks. The same words as exact lexemes OR'ed together cost ~4 ms, and the lexicon says which
-- lexemes a prefix covers. Rows are added in the same transaction as the text (triggers below), so a
-- prefix expanded from it matches exactly what the partial match would. Per workspace, so what one
-- tenant has written never shapes another's search (not even its timing). Lexemes of deleted text
-- stay: an exact term that matches nothing costs one index probe. (docs/decisions/0051-search-lexicon.md)
CREATE TABLE "SearchLexeme" (
    "workspaceId" TEXT NOT NULL,
    -- Byte order ("C"), so a prefix is one range of the primary key, as GIN's own prefix match compares.
    "lexeme" TEXT COLLATE "C" NOT NULL,

    CONSTRAINT "SearchLexeme_pkey" PRIMARY KEY ("workspaceId","lexeme")
);

ALTER TABLE "SearchLexeme" ADD CONSTRAINT "SearchLexeme_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Inserts and text edits, per statement, after every other trigger of the statement (names sort after
-- them; statement-level triggers fire in name order, after row-level ones): a transaction takes the
-- rows it locks (a task, its counts) before any lexeme, and lexemes sorted, so two transactions adding
-- the same new words queue for each other instead of deadlocking.
CREATE FUNCTION lanes_note_lexemes_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "SearchLexeme" ("workspaceId", "lexeme")
  SELECT DISTINCT n."workspaceId", lexeme FROM new_rows n, unnest(tsvector_to_array(n."searchVector")) lexeme
   ORDER BY 1, 2
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;

CREATE FUNCTION lanes_note_lexemes_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "SearchLexeme" ("workspaceId", "lexeme")
  SELECT DISTINCT n."workspaceId", lexeme
    FROM new_rows n JOIN old_rows o ON o.id = n.id, unnest(tsvector_to_array(n."searchVector")) lexeme
   WHERE n."searchVector" IS DISTINCT FROM o."searchVector" OR n."workspaceId" IS DISTINCT FROM o."workspaceId"
   ORDER BY 1, 2
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;

-- Triggers before the backfill: creating one waits for writes in flight and then sees every later one,
-- and the backfill below sees everything committed before it.
CREATE TRIGGER "Task_words_insert" AFTER INSERT ON "Task"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION lanes_note_lexemes_inserted();
CREATE TRIGGER "Task_words_update" AFTER UPDATE ON "Task"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION lanes_note_lexemes_updated();
CREATE TRIGGER "Comment_words_insert" AFTER INSERT ON "Comment"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION lanes_note_lexemes_inserted();
CREATE TRIGGER "Comment_words_update" AFTER UPDATE ON "Comment"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION lanes_note_lexemes_updated();

INSERT INTO "SearchLexeme" ("workspaceId", "lexeme")
SELECT "workspaceId", lexeme FROM "Task", unnest(tsvector_to_array("searchVector")) lexeme
UNION
SELECT "workspaceId", lexeme FROM "Comment", unnest(tsvector_to_array("searchVector")) lexeme
ON CONFLICT DO NOTHING;

-- A word's terms for a search in one workspace, as tsquery text: its prefixes (plain and stemmed, as
-- lanes_word_query makes them) expanded into the workspace's exact lexemes, OR'ed. '' when there are
-- none (the word matches nothing there); NULL — keep the prefix (lanes_word_query) — when there are
-- more than max_lexemes, when a form is not one prefix, or when the word has no form at all (marks
-- alone: lanes_word_query is then empty, and an empty term is dropped from the AND).
CREATE FUNCTION lanes_word_terms(workspace_id text, word text, max_lexemes int) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE STRICT AS $$
  WITH forms AS (
         SELECT substring(q::text FROM '^''([^'']+)'':\*$') AS prefix
           FROM (VALUES (to_tsquery('simple', word || ':*')), (to_tsquery('english', word || ':*'))) v(q)
          WHERE q::text <> ''),
       -- The prefix as a key range (the index cannot derive one from ^@ with a prefix that is not a
       -- constant: it would read all of the workspace's lexemes), then ^@ for exactness. Only a lexeme
       -- continuing the prefix with U+10FFFF, a noncharacter, would fall outside the range.
       matches AS (
         SELECT DISTINCT s."lexeme" FROM forms f JOIN "SearchLexeme" s
             ON s."workspaceId" = workspace_id
            AND s."lexeme" >= f.prefix AND s."lexeme" < f.prefix || chr(1114111)
            AND s."lexeme" ^@ f.prefix
          LIMIT max_lexemes + 1)
  SELECT CASE
           WHEN NOT EXISTS (SELECT 1 FROM forms) OR EXISTS (SELECT 1 FROM forms WHERE prefix IS NULL) THEN NULL
           WHEN (SELECT count(*) FROM matches) > max_lexemes THEN NULL
           ELSE coalesce((SELECT string_agg('''' || replace(replace("lexeme", '\', '\\'), '''', '''''') || '''', ' | ' ORDER BY "lexeme")
                            FROM matches), '')
         END
$$;
