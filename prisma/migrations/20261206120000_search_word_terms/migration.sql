-- One search word as a tsquery: the word as a prefix in the 'simple' form and in the 'english'
-- (stemmed) form, written as ONE prefix term when one form is a prefix of the other ("cache" → 'cach':*
-- covers 'cache':*; "timeout" → 'timeout':* once, not twice). The match set is the same; the GIN index
-- does about half the work, because each prefix term is a partial match that gathers every posting of
-- every lexeme it covers (two common words: 47 → 27 ms at 1M tasks).
-- IMMUTABLE like to_tsquery(regconfig, text) itself, so a call with a constant folds at planning time
-- (estimates stay exact, and a filter never re-parses the query per row).
CREATE FUNCTION lanes_word_query(word text) RETURNS tsquery
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
  SELECT CASE
           WHEN l.plain_lexeme IS NOT NULL AND l.stemmed_lexeme IS NOT NULL
                AND starts_with(l.plain_lexeme, l.stemmed_lexeme) THEN q.stemmed
           WHEN l.plain_lexeme IS NOT NULL AND l.stemmed_lexeme IS NOT NULL
                AND starts_with(l.stemmed_lexeme, l.plain_lexeme) THEN q.plain
           ELSE q.plain || q.stemmed
         END
    FROM (SELECT to_tsquery('simple', word || ':*') AS plain, to_tsquery('english', word || ':*') AS stemmed) q,
         LATERAL (SELECT substring(q.plain::text FROM '^''([^'']+)'':\*$') AS plain_lexeme,
                         substring(q.stemmed::text FROM '^''([^'']+)'':\*$') AS stemmed_lexeme) l
$$;

-- Searches read a GIN index's whole pending list (rows added since its last clean-up) on every
-- query; at the default 4 MB that is ~37,000 titles at 1M tasks, +35 ms on a two-word search.
-- 512 kB bounds it to a few milliseconds; inserts clean it up eight times as often, in smaller steps.
ALTER INDEX "Task_searchVector_idx" SET (gin_pending_list_limit = 512);
ALTER INDEX "Task_titleVector_idx" SET (gin_pending_list_limit = 512);
ALTER INDEX "Task_searchAll_idx" SET (gin_pending_list_limit = 512);
ALTER INDEX "Comment_searchVector_idx" SET (gin_pending_list_limit = 512);
