/**
 * EXPLAIN of every statement the read procedures run, at 1M tasks: each list and search call goes
 * through the real pipeline (createCaller) on a Prisma client that reports its statements; each
 * statement is then explained (same SQL, same parameters) and its plan searched for a sequential
 * scan of Task, Comment, ActivityEvent, TaskLabel or Notification — the tables that grow with use.
 * Exits 1 if one is found. Plans are the planner's choice for this data, so this runs on a bench
 * data set (bench/generate.ts), not on the tests' small databases: CI generates 300,000 tasks and
 * runs it (.ci/run, "query plans at scale"); at 1M tasks:
 *
 *   DATABASE_URL=…/lanes_bench npm run bench:explain
 */
import "./quiet";
import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "../src/server/db/generated/client";
import { createCaller } from "../src/server/routers/_app";
import { createInnerContext } from "../src/server/trpc/context";

const GROWING = new Set(["Task", "Comment", "ActivityEvent", "TaskLabel", "Notification"]);

type PlanNode = { "Node Type": string; "Relation Name"?: string; Plans?: PlanNode[] };

function seqScans(node: PlanNode): string[] {
  const here =
    node["Node Type"] === "Seq Scan" && node["Relation Name"] && GROWING.has(node["Relation Name"])
      ? [node["Relation Name"]]
      : [];
  return [...here, ...(node.Plans ?? []).flatMap(seqScans)];
}

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set");
  const statements: Array<{ call: string; sql: string; params: unknown[] }> = [];
  let current = "";
  const db = new PrismaClient({
    adapter: new PrismaPg({ connectionString: url }),
    log: [{ emit: "event", level: "query" }],
  });
  db.$on("query", (e) => statements.push({ call: current, sql: e.query, params: JSON.parse(e.params) as unknown[] }));
  const raw = new pg.Client({ connectionString: url });
  await raw.connect();
  const { rows } = await raw.query<{
    userId: string;
    projectId: string;
    taskId: string;
    labelId: string;
    projectKey: string;
  }>(
    `SELECT m."userId", p.id AS "projectId", p.key AS "projectKey",
            (SELECT t.id FROM "Task" t WHERE t."projectId" = p.id ORDER BY t."createdAt" DESC LIMIT 1) AS "taskId",
            (SELECT l.id FROM "Label" l WHERE l."workspaceId" = w.id LIMIT 1) AS "labelId"
       FROM "Workspace" w JOIN "Membership" m ON m."workspaceId" = w.id AND m.role = 'OWNER'
       JOIN "Project" p ON p."workspaceId" = w.id WHERE w.slug = 'bench' ORDER BY p.key LIMIT 1`,
  );
  const f = rows[0];
  if (!f) throw new Error("no 'bench' workspace: run npm run bench:generate first");
  const api = createCaller(createInnerContext({ db, viewer: { userId: f.userId } }));
  const ws = "bench";
  const calls: Array<[string, () => Promise<unknown>]> = [
    ["task.list newest", () => api.task.list({ workspaceSlug: ws })],
    ["task.list project", () => api.task.list({ workspaceSlug: ws, filter: { projectId: f.projectId } })],
    [
      "task.list board column",
      () =>
        api.task.list({ workspaceSlug: ws, sort: "position", filter: { projectId: f.projectId, status: ["TODO"] } }),
    ],
    ["task.list by priority", () => api.task.list({ workspaceSlug: ws, sort: "priority" })],
    ["task.list by due", () => api.task.list({ workspaceSlug: ws, sort: "due" })],
    ["task.list updated", () => api.task.list({ workspaceSlug: ws, sort: "updated" })],
    ["task.list label", () => api.task.list({ workspaceSlug: ws, filter: { labelId: f.labelId } })],
    ["task.list assignee", () => api.task.list({ workspaceSlug: ws, filter: { assigneeId: f.userId } })],
    ["task.list unassigned", () => api.task.list({ workspaceSlug: ws, filter: { assigneeId: null } })],
    ["task.list q", () => api.task.list({ workspaceSlug: ws, filter: { q: "deploy" } })],
    [
      "task.list q relevance",
      () => api.task.list({ workspaceSlug: ws, sort: "relevance", filter: { q: "cache timeout" } }),
    ],
    ["task.list q rare", () => api.task.list({ workspaceSlug: ws, filter: { q: "cache timeout retry queue" } })],
    ["task.list q unknown word", () => api.task.list({ workspaceSlug: ws, filter: { q: "xyzzy" } })],
    ["search.tasks", () => api.search.tasks({ workspaceSlug: ws, q: "deploy" })],
    ["task.get", () => api.task.get({ workspaceSlug: ws, taskId: f.taskId })],
    ["task.byRef", () => api.task.byRef({ workspaceSlug: ws, ref: `${f.projectKey}-1` })],
    ["task.statusCounts", () => api.task.statusCounts({ workspaceSlug: ws, projectId: f.projectId })],
    ["comment.list", () => api.comment.list({ workspaceSlug: ws, taskId: f.taskId })],
    ["activity.feed", () => api.activity.feed({ workspaceSlug: ws })],
    ["activity.forTask", () => api.activity.forTask({ workspaceSlug: ws, taskId: f.taskId })],
    ["notification.list", () => api.notification.list({ workspaceSlug: ws })],
    ["label.list", () => api.label.list({ workspaceSlug: ws })],
    ["project.list", () => api.project.list({ workspaceSlug: ws })],
    ["project.byKey", () => api.project.byKey({ workspaceSlug: ws, key: f.projectKey })],
    ["member.list", () => api.member.list({ workspaceSlug: ws })],
  ];
  for (const [name, run] of calls) {
    current = name;
    await run();
  }
  // A table with few rows is read whole, rightly: only tables at scale are judged.
  const { rows: sizes } = await raw.query<{ relname: string; rows: number }>(
    `SELECT relname, reltuples::bigint AS rows FROM pg_class WHERE relname = ANY($1)`,
    [[...GROWING]],
  );
  const atScale = new Set(sizes.filter((t) => Number(t.rows) >= 10_000).map((t) => t.relname));
  const small = sizes.filter((t) => !atScale.has(t.relname)).map((t) => `${t.relname} (${t.rows} rows)`);
  const problems: string[] = [];
  let explained = 0;
  for (const { call, sql, params } of statements) {
    if (!/^\s*(SELECT|WITH)\b/i.test(sql)) continue;
    const { rows: plan } = await raw.query<{ "QUERY PLAN": Array<{ Plan: PlanNode }> }>(
      `EXPLAIN (FORMAT JSON) ${sql}`,
      params,
    );
    explained++;
    const scans = seqScans(plan[0]!["QUERY PLAN"][0]!.Plan).filter((table) => atScale.has(table));
    if (scans.length) problems.push(`${call}: sequential scan of ${scans.join(", ")}\n    ${sql.slice(0, 300)}`);
  }
  process.stdout.write(
    `${calls.length} calls, ${explained} statements explained; judged: ${[...atScale].join(", ")}\n`,
  );
  if (small.length) process.stdout.write(`too small in this data set to judge: ${small.join(", ")}\n`);
  if (problems.length) {
    process.stdout.write(`\n${problems.length} plans scan a growing table:\n${problems.join("\n")}\n`);
    process.exitCode = 1;
  } else process.stdout.write(`no sequential scan of ${[...atScale].join(", ")}\n`);
  await db.$disconnect();
  await raw.end();
}

main().catch((error: unknown) => {
  process.stderr.write(`explain failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
