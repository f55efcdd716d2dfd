/**
 * The search and counts migrations on a database that already holds data: a database
 * migrated up to the one before them, filled by plain SQL, then migrated the rest of the
 * way. Afterwards markup is searchable text, comments are in their task's vector, and the
 * backfilled counts equal a scan (and stay equal as the triggers take over).
 */
import { readFileSync } from "node:fs";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { migrationFiles } from "../../scripts/lib/migrations";
import { uniqueName } from "../setup/databases";
import { DOCUMENT_SEPARATORS } from "@/server/db/search";

const FIRST_NEW = "20261202130000_search_text_not_markup";

let admin: pg.Client;
let client: pg.Client;
let name: string;

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

beforeAll(async () => {
  const server = inject("databaseServerUrl");
  name = uniqueName("lanes_mig");
  admin = new pg.Client({ connectionString: server });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  client = new pg.Client({ connectionString: withDatabase(server, name) });
  await client.connect();
  const files = migrationFiles();
  const cut = files.findIndex((f) => f.includes(FIRST_NEW));
  expect(cut).toBeGreaterThan(0);
  for (const file of files.slice(0, cut)) await client.query(readFileSync(file, "utf8"));

  // Data as an older Lanes left it: two projects, labels, live and deleted tasks, comments with markup.
  await client.query(`
    INSERT INTO "User"(id, email, "updatedAt") VALUES ('u1', 'u1@example.test', now());
    INSERT INTO "Workspace"(id, slug, name, "updatedAt") VALUES ('w1', 'mig', 'Mig', now());
    INSERT INTO "Project"(id, "workspaceId", key, name, "updatedAt") VALUES ('p1', 'w1', 'ONE', 'One', now()), ('p2', 'w1', 'TWO', 'Two', now());
    INSERT INTO "Label"(id, "workspaceId", name, color, "updatedAt") VALUES ('l1', 'w1', 'bug', '#000000', now()), ('l2', 'w1', 'ui', '#000000', now()), ('l3', 'w1', 'unused', '#000000', now());
    INSERT INTO "Task"(id, "workspaceId", "projectId", number, title, description, status, "creatorId", position, "deletedAt", "updatedAt")
    SELECT 't' || g, 'w1', CASE WHEN g % 3 = 0 THEN 'p2' ELSE 'p1' END, g,
           CASE WHEN g = 1 THEN '<script>alert(1)</script>' WHEN g = 2 THEN 'a<b>c' ELSE 'Task ' || g END,
           CASE WHEN g = 4 THEN 'see user@example.com and v1.2.3 &amp; more' ELSE '' END,
           (ARRAY['BACKLOG','TODO','IN_PROGRESS','IN_REVIEW','DONE','CANCELED'])[1 + g % 6]::"TaskStatus", 'u1', 'a' || g,
           CASE WHEN g % 5 = 0 THEN now() END, now()
    FROM generate_series(1, 60) g;
    INSERT INTO "TaskLabel"("taskId", "labelId") SELECT 't' || g, 'l1' FROM generate_series(1, 60) g WHERE g % 2 = 0;
    INSERT INTO "TaskLabel"("taskId", "labelId") SELECT 't' || g, 'l2' FROM generate_series(1, 60) g WHERE g % 3 = 0;
    INSERT INTO "Comment"(id, "workspaceId", "taskId", "authorId", body, "updatedAt") VALUES
      ('c1', 'w1', 't7', 'u1', '<b>zanzibar</b> in bold', now()),
      ('c2', 'w1', 't7', 'u1', 'and <i>quokka</i>', now()),
      ('c3', 'w1', 't8', 'u1', 'gone <em>pelican</em>', now());
    UPDATE "Comment" SET "deletedAt" = now() WHERE id = 'c3';
  `);
  for (const file of files.slice(cut)) await client.query(readFileSync(file, "utf8"));
}, 120_000);

afterAll(async () => {
  await client?.end();
  await admin?.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin?.end();
});

/** Live tasks of w1 whose searchAll matches every word as a prefix (what task.list's filter.q asks). */
async function matching(...words: string[]): Promise<string[]> {
  const q = words
    .map((_, i) => `(to_tsquery('simple', $${i + 1} || ':*') || to_tsquery('english', $${i + 1} || ':*'))`)
    .join(" && ");
  const { rows } = await client.query<{ id: string }>(
    `SELECT id FROM "Task" WHERE "deletedAt" IS NULL AND "searchAll" @@ (${q}) ORDER BY id`,
    words,
  );
  return rows.map((r) => r.id);
}

describe("the search migration on existing data", () => {
  it("makes markup searchable text in titles and descriptions", async () => {
    expect(await matching("script")).toEqual(["t1"]);
    expect(await matching("alert")).toEqual(["t1"]);
    expect(await matching("a", "b", "c")).toEqual(["t2"]);
    expect(await matching("example")).toEqual(["t4"]);
    expect(await matching("amp")).toEqual(["t4"]);
    expect(await matching("2", "3")).toEqual(["t4"]);
  });

  it("puts the live comments' words in their task's vector, not the deleted ones'", async () => {
    expect(await matching("zanzibar")).toEqual(["t7"]);
    expect(await matching("zanzibar", "quokka")).toEqual(["t7"]);
    expect(await matching("pelican")).toEqual([]);
    const { rows } = await client.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM "Comment" WHERE "searchVector" @@ to_tsquery('simple', 'bold')`,
    );
    expect(rows[0]!.n).toBe(1);
  });

  it("turns exactly the documented separators into spaces in every generated vector", async () => {
    const { rows } = await client.query<{ column: string; expr: string }>(`
      SELECT c.relname || '.' || a.attname AS column, pg_get_expr(d.adbin, d.adrelid) AS expr
      FROM pg_attrdef d JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum JOIN pg_class c ON c.oid = d.adrelid
      WHERE a.attgenerated = 's' AND c.relname IN ('Task', 'Comment') ORDER BY 1`);
    expect(rows.map((r) => r.column)).toEqual([
      "Comment.searchVector",
      "Task.searchAll",
      "Task.searchVector",
      "Task.titleVector",
    ]);
    const literal = `'${DOCUMENT_SEPARATORS.replaceAll("'", "''")}'::text, '${" ".repeat(DOCUMENT_SEPARATORS.length)}'::text`;
    for (const row of rows) {
      // Every to_tsvector call reads translated text.
      const parses = row.expr.match(/to_tsvector\(/g)?.length ?? 0;
      expect(row.expr.split(literal).length - 1, row.column).toBe(parses);
    }
  });
});

describe("the counts migration on existing data", () => {
  async function maintained() {
    const psc = await client.query<{ key: string; count: number }>(
      `SELECT "projectId" || '/' || status AS key, count FROM "ProjectStatusCount" WHERE count <> 0 ORDER BY 1`,
    );
    const labels = await client.query<{ id: string; n: number }>(
      `SELECT id, "taskCount" AS n FROM "Label" ORDER BY id`,
    );
    return { psc: psc.rows, labels: labels.rows };
  }
  async function scanned() {
    const psc = await client.query<{ key: string; count: number }>(
      `SELECT "projectId" || '/' || status AS key, count(*)::int AS count FROM "Task" WHERE "deletedAt" IS NULL GROUP BY 1 ORDER BY 1`,
    );
    const labels = await client.query<{ id: string; n: number }>(`
      SELECT l.id, count(t.id)::int AS n FROM "Label" l LEFT JOIN "TaskLabel" tl ON tl."labelId" = l.id LEFT JOIN "Task" t ON t.id = tl."taskId" AND t."deletedAt" IS NULL
      GROUP BY l.id ORDER BY l.id`);
    return { psc: psc.rows, labels: labels.rows };
  }

  it("backfills counts equal to a scan, and the triggers keep them so", async () => {
    expect(await maintained()).toEqual(await scanned());
    expect((await maintained()).labels).toEqual([
      { id: "l1", n: 24 }, // even numbers 2..60, minus 10, 20, …, 60 (deleted)
      { id: "l2", n: 16 }, // multiples of 3 (20), minus 15, 30, 45, 60
      { id: "l3", n: 0 },
    ]);
    await client.query(
      `UPDATE "Task" SET "deletedAt" = now() WHERE id IN ('t2', 't3'); UPDATE "Task" SET status = 'DONE' WHERE "projectId" = 'p2'; DELETE FROM "Task" WHERE id = 't4'`,
    );
    expect(await maintained()).toEqual(await scanned());
  });
});
