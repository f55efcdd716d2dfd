-- Board keys stay short (docs/decisions/0015-board-rebalancing.md): the app re-keys a column
-- when a new key would pass 32 characters; the database refuses anything past 64.

-- Columns that already hold a key past the limit are re-keyed first, in their current order
-- (position byte-wise, then id), with the keys fractional-indexing's generateNKeysBetween(null,
-- null, n) produces: "a0".."az", then "b00".."bzz", "c000".., "d0000".. (up to 14.8M per column).
CREATE FUNCTION pg_temp.lanes_board_key(i bigint) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  WITH d(digits) AS (SELECT '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'::text)
  SELECT CASE
    WHEN i < 62 THEN 'a' || substr(digits, (i + 1)::int, 1)
    WHEN i < 62 + 3844 THEN 'b' || substr(digits, ((i - 62) / 62 + 1)::int, 1) || substr(digits, ((i - 62) % 62 + 1)::int, 1)
    WHEN i < 62 + 3844 + 238328 THEN 'c'
      || substr(digits, ((i - 3906) / 3844 + 1)::int, 1)
      || substr(digits, ((i - 3906) / 62 % 62 + 1)::int, 1)
      || substr(digits, ((i - 3906) % 62 + 1)::int, 1)
    ELSE 'd'
      || substr(digits, ((i - 242234) / 238328 + 1)::int, 1)
      || substr(digits, ((i - 242234) / 3844 % 62 + 1)::int, 1)
      || substr(digits, ((i - 242234) / 62 % 62 + 1)::int, 1)
      || substr(digits, ((i - 242234) % 62 + 1)::int, 1)
  END FROM d
$$;

UPDATE "Task" AS t
SET "position" = pg_temp.lanes_board_key(r.i)
FROM (
  SELECT id, row_number() OVER (PARTITION BY "projectId", "status" ORDER BY "position", id) - 1 AS i
  FROM "Task"
  WHERE ("projectId", "status") IN (SELECT "projectId", "status" FROM "Task" WHERE char_length("position") > 64)
) AS r
WHERE t.id = r.id;

DROP FUNCTION pg_temp.lanes_board_key(bigint);

-- AddCheckConstraint (not expressible in schema.prisma; `prisma migrate diff` does not compare CHECKs)
ALTER TABLE "Task" ADD CONSTRAINT "Task_position_length" CHECK (char_length("position") <= 64);
