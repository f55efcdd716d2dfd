/**
 * Fills a workspace with a large, realistic data set for benchmarks:
 * 1,000,000 tasks (default) over 10 projects, 20 members, 12 labels,
 * ~1.2 labels per task and ~0.3 comments per task, an activity event per task
 * (the trail and the live stream's numbering) and ~0.2 notifications per task. Set-based SQL in batches,
 * with a progress bar; deterministic (setseed) so runs are comparable.
 *
 *   DATABASE_URL=postgresql://…/lanes_bench npm run db:migrate
 *   DATABASE_URL=postgresql://…/lanes_bench npm run bench:generate [-- --tasks 1000000]
 *
 * Re-running replaces the "bench" workspace — slowly: the deleted million rows stay behind as dead
 * tuples until vacuumed. A fresh database is faster: dropdb, createdb, db:migrate, then this.
 */
import pg from "pg";

const TASKS = Number(argument("--tasks") ?? 1_000_000);
const PROJECTS = 10;
const MEMBERS = 20;
const BATCH = 50_000;
const WORDS = [
  "login",
  "signup",
  "billing",
  "invoice",
  "search",
  "ranking",
  "dashboard",
  "export",
  "import",
  "webhook",
  "deploy",
  "deployment",
  "pipeline",
  "cache",
  "latency",
  "timeout",
  "retry",
  "queue",
  "worker",
  "email",
  "notification",
  "mobile",
  "layout",
  "theme",
  "dark",
  "mode",
  "audit",
  "log",
  "permission",
  "role",
  "token",
  "session",
  "upload",
  "image",
  "video",
  "report",
  "chart",
  "filter",
  "sort",
  "pagination",
  "keyboard",
  "shortcut",
  "onboarding",
  "invite",
  "member",
  "project",
  "label",
  "comment",
  "mention",
  "database",
  "index",
  "migration",
  "backup",
  "restore",
  "metrics",
  "alert",
  "incident",
  "release",
  "changelog",
  "api",
  "client",
  "server",
  "browser",
  "performance",
  "memory",
  "leak",
  "crash",
  "error",
  "bug",
  "regression",
  "test",
  "flaky",
  "build",
  "lint",
  "typescript",
  "refactor",
  "cleanup",
  "docs",
  "tutorial",
  "settings",
  "profile",
  "avatar",
  "payment",
  "subscription",
  "trial",
  "coupon",
  "tax",
  "currency",
  "locale",
  "translation",
  "accessibility",
  "contrast",
  "focus",
  "screen",
];
const VERBS = [
  "Fix",
  "Add",
  "Improve",
  "Remove",
  "Investigate",
  "Refactor",
  "Document",
  "Test",
  "Speed up",
  "Redesign",
  "Migrate",
  "Automate",
];

function argument(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function progress(label: string, done: number, total: number, started: number): void {
  const width = 30;
  const filled = Math.round((done / total) * width);
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  process.stderr.write(
    `\r${label.padEnd(10)} [${"#".repeat(filled)}${".".repeat(width - filled)}] ${String(Math.round((done / total) * 100)).padStart(3)}% ${done.toLocaleString("en")}/${total.toLocaleString("en")}  ${secs}s`,
  );
  if (done >= total) process.stderr.write("\n");
}

/** A fractional-index key from an integer: "c" + 3 base-62 digits (valid for fractional-indexing, byte-ordered). */
const POSITION_SQL = `'c' || substr(d.s, (n / 3844) % 62 + 1, 1) || substr(d.s, (n / 62) % 62 + 1, 1) || substr(d.s, n % 62 + 1, 1)`;

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set");
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const q = (sql: string, params: unknown[] = []) => client.query(sql, params);
  const exists = await q(`SELECT to_regclass('"Task"') IS NOT NULL AS ok`);
  if (!(exists.rows[0] as { ok: boolean }).ok)
    throw new Error('No "Task" table: run `npm run db:migrate` against this database first');
  if (TASKS > PROJECTS * 238_000) throw new Error(`at most ${PROJECTS * 238_000} tasks`);
  const started = Date.now();

  await q(`DELETE FROM "Workspace" WHERE slug = 'bench'`);
  await q(`DELETE FROM "User" WHERE email LIKE 'bench-%@example.test'`);
  await q(`SELECT setseed(0.42)`);
  await q(`INSERT INTO "Workspace"(id, slug, name, "updatedAt") VALUES ('bench-ws', 'bench', 'Benchmark', now())`);
  await q(
    `INSERT INTO "User"(id, email, name, handle, "emailVerified", "updatedAt")
           SELECT 'bench-u' || i, 'bench-' || i || '@example.test', 'Bench User ' || i, 'bench-' || i, now(), now() FROM generate_series(1, $1) i`,
    [MEMBERS],
  );
  await q(
    `INSERT INTO "Membership"(id, "workspaceId", "userId", role, "updatedAt")
           SELECT 'bench-m' || i, 'bench-ws', 'bench-u' || i, CASE WHEN i = 1 THEN 'OWNER'::"Role" ELSE 'MEMBER'::"Role" END, now() FROM generate_series(1, $1) i`,
    [MEMBERS],
  );
  await q(`INSERT INTO "Label"(id, "workspaceId", name, color, "updatedAt")
           SELECT 'bench-l' || i, 'bench-ws', 'label-' || i, '#3b82f6', now() FROM generate_series(1, 12) i`);
  await q(
    `INSERT INTO "Project"(id, "workspaceId", key, name, "taskCounter", "updatedAt")
           SELECT 'bench-p' || i, 'bench-ws', 'B' || i, 'Bench project ' || i, 0, now() FROM generate_series(1, $1) i`,
    [PROJECTS],
  );

  const words = `(ARRAY[${WORDS.map((w) => `'${w}'`).join(",")}])`;
  const verbs = `(ARRAY[${VERBS.map((w) => `'${w}'`).join(",")}])`;
  const word = `${words}[1 + floor(random() * ${WORDS.length})::int]`;
  const t0 = Date.now();
  for (let from = 1; from <= TASKS; from += BATCH) {
    const to = Math.min(TASKS, from + BATCH - 1);
    // Task g (1-based) belongs to project ((g-1) % P) + 1 with number ((g-1) / P) + 1.
    await q(
      `
      INSERT INTO "Task"(id, "workspaceId", "projectId", number, title, description, status, priority, "assigneeId", "creatorId", "dueDate", position, version, "completedAt", "createdAt", "updatedAt")
      SELECT 'bench-t' || g, 'bench-ws', 'bench-p' || (((g - 1) % $3) + 1), n, title, description,
             (ARRAY['BACKLOG','TODO','TODO','IN_PROGRESS','IN_REVIEW','DONE','DONE','DONE','CANCELED'])[1 + floor(random() * 9)::int]::"TaskStatus",
             (ARRAY['NONE','LOW','MEDIUM','MEDIUM','HIGH','URGENT'])[1 + floor(random() * 6)::int]::"TaskPriority",
             CASE WHEN random() < 0.8 THEN 'bench-u' || (1 + floor(random() * $4)::int) END,
             'bench-u' || (1 + floor(random() * $4)::int),
             CASE WHEN random() < 0.3 THEN date '2026-01-01' + floor(random() * 500)::int END,
             ${POSITION_SQL}, 1, NULL, created, created
      FROM (
        SELECT g, ((g - 1) / $3) + 1 AS n,
               ${verbs}[1 + floor(random() * ${VERBS.length})::int] || ' ' || ${word} || ' ' || ${word} AS title,
               concat_ws(' ', ${word}, ${word}, ${word}, ${word}, ${word}, ${word}, ${word}, ${word}, ${word}, ${word}, ${word}, ${word}) AS description,
               timestamp '2025-01-01' + (g * interval '30 seconds') AS created
        FROM generate_series($1::int, $2::int) g
      ) s, (SELECT '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'::text AS s) d`,
      [from, to, PROJECTS, MEMBERS],
    );
    await q(
      `
      INSERT INTO "TaskLabel"("taskId", "labelId")
      SELECT 'bench-t' || g, 'bench-l' || (1 + (g * 7) % 12) FROM generate_series($1::int, $2::int) g WHERE random() < 0.8
      UNION ALL
      SELECT 'bench-t' || g, 'bench-l' || (1 + (g * 5 + 3) % 12) FROM generate_series($1::int, $2::int) g WHERE random() < 0.4
      ON CONFLICT DO NOTHING`,
      [from, to],
    );
    await q(
      `
      INSERT INTO "Comment"(id, "workspaceId", "taskId", "authorId", body, "createdAt", "updatedAt")
      SELECT 'bench-c' || g, 'bench-ws', 'bench-t' || g, 'bench-u' || (1 + floor(random() * $3)::int),
             concat_ws(' ', 'Looks like', ${word}, ${word}, 'again; see', ${word}, ${word}, ${word}), now(), now()
      FROM generate_series($1::int, $2::int) g WHERE random() < 0.3`,
      [from, to, MEMBERS],
    );
    // The activity trail: each task's creation, numbered in the workspace's event stream as it was made.
    await q(
      `
      INSERT INTO "ActivityEvent"(id, "workspaceId", seq, "actorId", action, "entityType", "entityId", "taskId", after, "createdAt")
      SELECT 'bench-e' || g, 'bench-ws', g, 'bench-u' || (1 + g % $3), 'task.created', 'task', 'bench-t' || g, 'bench-t' || g,
             '{"status":"TODO"}'::jsonb, timestamp '2025-01-01' + (g * interval '30 seconds')
      FROM generate_series($1::int, $2::int) g`,
      [from, to, MEMBERS],
    );
    // Notifications: a fifth of the tasks told someone they were assigned; most of those are read.
    await q(
      `
      INSERT INTO "Notification"(id, "userId", "workspaceId", type, "actorId", "taskId", "readAt", "createdAt")
      SELECT 'bench-n' || g, 'bench-u' || (1 + (g * 3) % $3), 'bench-ws', 'ASSIGNED', 'bench-u' || (1 + g % $3), 'bench-t' || g,
             CASE WHEN random() < 0.7 THEN timestamp '2025-01-01' + (g * interval '30 seconds') + interval '1 hour' END,
             timestamp '2025-01-01' + (g * interval '30 seconds')
      FROM generate_series($1::int, $2::int) g WHERE random() < 0.2`,
      [from, to, MEMBERS],
    );
    progress("tasks", to, TASKS, t0);
  }
  await q(
    `INSERT INTO "WorkspaceEventCounter"("workspaceId", "lastSeq") VALUES ('bench-ws', $1)
     ON CONFLICT ("workspaceId") DO UPDATE SET "lastSeq" = EXCLUDED."lastSeq"`,
    [TASKS],
  );
  await q(
    `UPDATE "Project" p SET "taskCounter" = c.max FROM (SELECT "projectId", max(number) AS max FROM "Task" WHERE "workspaceId" = 'bench-ws' GROUP BY 1) c WHERE c."projectId" = p.id`,
  );
  // What autovacuum leaves a production database in after a bulk load: planner statistics, visibility
  // maps, and the GIN indexes' pending lists merged (searches read a pending list in full). Servers
  // with autovacuum off — as on some CI machines — would otherwise benchmark a state production
  // does not stay in.
  process.stderr.write("vacuum     (statistics, visibility, GIN pending lists)\n");
  await q(`VACUUM (ANALYZE)`);
  const counts = await q(`SELECT (SELECT count(*) FROM "Task" WHERE "workspaceId" = 'bench-ws') AS tasks,
                                 (SELECT count(*) FROM "Comment" WHERE "workspaceId" = 'bench-ws') AS comments,
                                 (SELECT count(*) FROM "ActivityEvent" WHERE "workspaceId" = 'bench-ws') AS events,
                                 (SELECT count(*) FROM "Notification" WHERE "workspaceId" = 'bench-ws') AS notifications,
                                 (SELECT count(*) FROM "TaskLabel" tl JOIN "Task" t ON t.id = tl."taskId" WHERE t."workspaceId" = 'bench-ws') AS labels`);
  const c = counts.rows[0] as {
    tasks: string;
    comments: string;
    labels: string;
    events: string;
    notifications: string;
  };
  const n = (value: string) => Number(value).toLocaleString("en");
  process.stderr.write(
    `done: ${n(c.tasks)} tasks, ${n(c.comments)} comments, ${n(c.labels)} task labels, ${n(c.events)} activity events, ${n(c.notifications)} notifications in ${((Date.now() - started) / 1000).toFixed(0)} s\n`,
  );
  await client.end();
}

main().catch((error: unknown) => {
  process.stderr.write(`\nbench:generate failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
