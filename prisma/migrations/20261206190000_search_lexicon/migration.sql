-- The search lexicon: every lexeme a search vector holds (Task."searchVector" covers the title and
-- description, Comment."searchVector" the body; the other vectors are made of the same words). A
-- search word is a prefix; a GIN index answers a prefix with a "partial match" that gathers the
-- postings of every lexeme it covers into a bitmap first, which for two common words costs ~22 ms at
-- 1M tasks. The same words as exact lexemes OR'ed together cost ~4 ms, and the lexicon says which
-- lexemes a prefix covers. Rows are added in the same transaction as the text (triggers below), so a
-- prefix expanded from it matches exactly what the partial match would. Lexemes of deleted text stay:
-- an exact term that matches nothing costs one index probe. (docs/decisions/0051-search-lexicon.md)
CREATE TABLE "SearchLexeme" (
    "lexeme" TEXT NOT NULL,

    CONSTRAINT "SearchLexeme_pkey" PRIMARY KEY ("lexeme")
);

-- Prefix lookups (`lexeme ^@ 'cach'`), byte-wise like the GIN index's own prefix match.
CREATE INDEX "SearchLexeme_lexeme_idx" ON "SearchLexeme" USING SPGIST ("lexeme" text_ops);

INSERT INTO "SearchLexeme" ("lexeme")
SELECT lexeme FROM "Task", unnest(tsvector_to_array("searchVector")) lexeme
UNION
SELECT lexeme FROM "Comment", unnest(tsvector_to_array("searchVector")) lexeme;

-- Inserts, per statement (bulk-friendly). Sorted, so two transactions adding the same new words
-- take their keys in the same order and cannot deadlock each other here.
CREATE FUNCTION lanes_note_lexemes_of_rows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "SearchLexeme" ("lexeme")
  SELECT DISTINCT lexeme FROM new_rows, unnest(tsvector_to_array(new_rows."searchVector")) lexeme
   ORDER BY 1
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;

-- Text edits, per row, only when the text changed (moves and status changes do not fire it).
CREATE FUNCTION lanes_note_lexemes_of_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "SearchLexeme" ("lexeme")
  SELECT DISTINCT lexeme FROM unnest(tsvector_to_array(NEW."searchVector")) lexeme
   ORDER BY 1
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;

CREATE TRIGGER "Task_lexemes_insert" AFTER INSERT ON "Task"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION lanes_note_lexemes_of_rows();
CREATE TRIGGER "Task_lexemes_update" AFTER UPDATE OF "title", "description" ON "Task"
  FOR EACH ROW WHEN (OLD."searchVector" IS DISTINCT FROM NEW."searchVector")
  EXECUTE FUNCTION lanes_note_lexemes_of_row();
CREATE TRIGGER "Comment_lexemes_insert" AFTER INSERT ON "Comment"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION lanes_note_lexemes_of_rows();
CREATE TRIGGER "Comment_lexemes_update" AFTER UPDATE OF "body" ON "Comment"
  FOR EACH ROW WHEN (OLD."searchVector" IS DISTINCT FROM NEW."searchVector")
  EXECUTE FUNCTION lanes_note_lexemes_of_row();

-- A word's terms for a search statement, as tsquery text: its prefixes (plain and stemmed, as
-- lanes_word_query makes them) expanded into the lexicon's exact lexemes, OR'ed. '' when the lexicon
-- has none (the word matches nothing); NULL when it has more than max_lexemes or the word does not
-- reduce to one prefix per form — then the caller keeps the prefix (lanes_word_query).
CREATE FUNCTION lanes_word_terms(word text, max_lexemes int) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE STRICT AS $$
  WITH forms AS (
         SELECT q::text AS query, substring(q::text FROM '^''([^'']+)'':\*$') AS prefix
           FROM (VALUES (to_tsquery('simple', word || ':*')), (to_tsquery('english', word || ':*'))) v(q)
          WHERE q::text <> ''),
       matches AS (
         SELECT DISTINCT s."lexeme" FROM "SearchLexeme" s JOIN forms f ON s."lexeme" ^@ f.prefix
          LIMIT max_lexemes + 1)
  SELECT CASE
           WHEN EXISTS (SELECT 1 FROM forms WHERE prefix IS NULL) THEN NULL
           WHEN (SELECT count(*) FROM matches) > max_lexemes THEN NULL
           ELSE coalesce((SELECT string_agg('''' || replace(replace("lexeme", '\', '\\'), '''', '''''') || '''', ' | ' ORDER BY "lexeme")
                            FROM matches), '')
         END
$$;
