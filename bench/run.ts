/**
 * Latency benchmark on the data set from bench/generate.ts (1M tasks).
 *
 *   DATABASE_URL=postgresql://…/lanes_bench npm run bench              in-process + HTTP (if built)
 *   DATABASE_URL=… npm run bench -- --iterations 500 --no-http
 *
 * In-process: each call goes through the full tRPC pipeline (createCaller: input and
 * output validation, membership lookup, permission check, logging) against real
 * PostgreSQL. HTTP: the same calls over real HTTP to Lanes' server on the production build (needs `npm run
 * build`), with a session cookie, superjson, sequential requests. Reports p50/p95/p99
 * in milliseconds and writes bench/results/latest.json.
 *
 * Raw: for cases whose work is one SQL statement, the same statement through plain
 * `pg` in the same run, a floor for what the pipeline adds (`--only count,q` runs
 * just the cases whose names contain one of those words).
 */
import "./quiet";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import superjson from "superjson";
import { createDb } from "../src/server/db/client";
import { createCaller } from "../src/server/routers/_app";
import { createInnerContext } from "../src/server/trpc/context";
import { encodeCursor, relevanceCursorValue } from "../src/server/db/task-query";
import { TEXT_PAGE_SETTINGS, textPageRows, type After, type TextPageArgs } from "../src/server/db/task-search";
import { searchWords } from "../src/server/services/search";
import { argument } from "./cli";
import { startServer, stopServer } from "./server";
import { makeOwnerOperator, prepareRareReads, type RareReads } from "./rare-reads";

const root = path.resolve(import.meta.dirname, "..");
const ITERATIONS = Number(argument("--iterations") ?? 200);
/** Only the cases whose names contain one of these (comma-separated) words. */
const ONLY = argument("--only")?.split(",").filter(Boolean) ?? null;
const WARMUP = 20;
const SLUG = "bench";
const SEARCHES = [
  "deploy",
  "deplo",
  "pipeline cache",
  "invoice timeout",
  "flaky test",
  "accessib",
  "regression crash",
  "xyzzy",
];

type Stats = {
  name: string;
  mode: "in-process" | "http" | "raw pg";
  n: number;
  p50: number;
  p95: number;
  p99: number;
  mean: number;
};

function stats(name: string, mode: Stats["mode"], samples: number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  const round = (x: number) => Math.round(x * 100) / 100;
  return {
    name,
    mode,
    n: samples.length,
    p50: round(at(0.5)),
    p95: round(at(0.95)),
    p99: round(at(0.99)),
    mean: round(samples.reduce((a, b) => a + b, 0) / samples.length),
  };
}

async function measure(name: string, mode: Stats["mode"], fn: (i: number) => Promise<unknown>): Promise<Stats> {
  for (let i = 0; i < WARMUP; i++) await fn(i);
  const samples: number[] = [];
  for (let i = 0; i < ITERATIONS; i++) {
    const started = performance.now();
    await fn(WARMUP + i);
    samples.push(performance.now() - started);
  }
  const s = stats(name, mode, samples);
  process.stderr.write(
    `${mode.padEnd(10)} ${name.padEnd(30)} p50 ${s.p50.toFixed(2).padStart(7)}  p95 ${s.p95.toFixed(2).padStart(7)}  p99 ${s.p99.toFixed(2).padStart(7)} ms\n`,
  );
  return s;
}

type Call = { path: string; type: "query" | "mutation"; input: unknown };
/** The statements a case boils down to, run through plain `pg` as a floor. */
type Raw = (client: pg.Client, i: number) => Promise<unknown>;
type Scenario = { name: string; call: (i: number) => Call; raw?: Raw };

const rawQuery =
  (text: string, values: unknown[]): Raw =>
  (client) =>
    client.query(text, values);

/** Words for `filter.q`: common (each in 5–25% of tasks), a prefix, two words, and one that matches nothing. */
const LIST_SEARCHES = ["deploy", "deplo", "cache timeout", "xyzzy"];

/**
 * The remaining query procedures, with inputs from the fixture (./rare-reads.ts adds what the
 * generated data lacks: a webhook's deliveries, an invitation's token, the owner as an operator).
 */
const READS: Array<[string, (f: Fixture) => unknown]> = [
  ["task.get", (f) => ({ workspaceSlug: SLUG, taskId: f.taskId })],
  ["task.byRef", (f) => ({ workspaceSlug: SLUG, ref: f.taskRef })],
  ["comment.list", (f) => ({ workspaceSlug: SLUG, taskId: f.taskId })],
  ["activity.feed", () => ({ workspaceSlug: SLUG })],
  ["activity.forTask", (f) => ({ workspaceSlug: SLUG, taskId: f.taskId })],
  ["notification.list", () => ({ workspaceSlug: SLUG })],
  ["notification.emailPreferences", () => undefined],
  ["presence.task", (f) => ({ workspaceSlug: SLUG, taskId: f.taskId })],
  ["member.list", () => ({ workspaceSlug: SLUG })],
  ["invitation.list", () => ({ workspaceSlug: SLUG })],
  ["invitation.mine", () => undefined],
  ["apiKey.list", () => ({ workspaceSlug: SLUG })],
  ["webhook.list", () => ({ workspaceSlug: SLUG })],
  ["webhook.deliveries", (f) => ({ workspaceSlug: SLUG, webhookId: f.rare.webhookId })],
  ["invitation.peek", (f) => ({ token: f.rare.invitationToken })],
  ["invitation.preview", (f) => ({ token: f.rare.invitationToken })],
  ["admin.jobs", () => ({ show: "all" })],
  ["workspace.get", () => ({ workspaceSlug: SLUG })],
  ["live.position", () => ({ workspaceSlug: SLUG })],
  ["workspace.list", () => undefined],
  ["system.me", () => undefined],
  ["system.health", () => undefined],
];

/** The benchmark's calls, shared by both modes so they measure the same work. */
function scenarios(fixture: Fixture): Scenario[] {
  const slug = SLUG;
  const ws = fixture.workspaceId;
  const list = (input: Record<string, unknown>): Call => ({
    path: "task.list",
    type: "query",
    input: { workspaceSlug: slug, limit: 50, ...input },
  });
  /** The same SQL task.list runs for `filter.q` (db/task-search.ts), without the pipeline or the row hydration. */
  const textPage =
    (q: (i: number) => string, rest: Omit<TextPageArgs, "workspaceId" | "words" | "limit">): Raw =>
    async (client, i) => {
      await client.query("BEGIN");
      await client.query(TEXT_PAGE_SETTINGS.text);
      await textPageRows(async (sql) => (await client.query<Record<string, unknown>>(sql.text, sql.values)).rows, {
        workspaceId: ws,
        words: searchWords(q(i)),
        limit: 51,
        ...rest,
      });
      await client.query("COMMIT");
    };
  const cycle = (i: number) => LIST_SEARCHES[i % LIST_SEARCHES.length]!;
  const scenarios: Scenario[] = [
    { name: "task.list first page", call: () => list({}) },
    { name: "task.list deep page", call: () => list({ cursor: fixture.deepCursor }) },
    {
      name: "task.list project+status",
      call: () => list({ filter: { projectId: fixture.projectId, status: ["IN_PROGRESS"] } }),
    },
    {
      name: "search.tasks",
      call: (i) => ({
        path: "search.tasks",
        type: "query",
        input: { workspaceSlug: slug, q: SEARCHES[i % SEARCHES.length]!, limit: 20 },
      }),
    },
    {
      name: "task.list q first page",
      call: (i) => list({ filter: { q: cycle(i) } }),
      raw: textPage(cycle, { filter: {}, sort: "created", direction: "desc", after: null }),
    },
    {
      name: "task.list q deep page",
      call: () => list({ filter: { q: "deploy" }, cursor: fixture.deepCursor }),
      raw: textPage(() => "deploy", { filter: {}, sort: "created", direction: "desc", after: fixture.deepAfter }),
    },
    {
      name: "task.list q relevance first",
      call: (i) => list({ filter: { q: cycle(i) }, sort: "relevance" }),
      raw: textPage(cycle, { filter: {}, sort: "relevance", direction: "desc", after: null }),
    },
    {
      name: "task.list q relevance deep",
      call: () => list({ filter: { q: "deploy" }, sort: "relevance", cursor: fixture.deepRelevanceCursor }),
      raw: textPage(() => "deploy", {
        filter: {},
        sort: "relevance",
        direction: "desc",
        after: fixture.deepRelevanceAfter,
        afterGroup: 1,
      }),
    },
    {
      name: "task.list q + project",
      call: (i) => list({ filter: { q: cycle(i), projectId: fixture.projectId } }),
      raw: textPage(cycle, {
        filter: { projectId: fixture.projectId },
        sort: "created",
        direction: "desc",
        after: null,
      }),
    },
    {
      name: "label.list (counts)",
      call: () => ({ path: "label.list", type: "query", input: { workspaceSlug: slug } }),
      raw: rawQuery(`SELECT id, name, color, "taskCount" FROM "Label" WHERE "workspaceId" = $1 ORDER BY name`, [ws]),
    },
    {
      name: "project.list (counts)",
      call: () => ({ path: "project.list", type: "query", input: { workspaceSlug: slug } }),
      raw: rawQuery(`SELECT "projectId", status, count FROM "ProjectStatusCount" WHERE "workspaceId" = $1`, [ws]),
    },
    {
      name: "project.byKey (counts)",
      call: () => ({ path: "project.byKey", type: "query", input: { workspaceSlug: slug, key: fixture.projectKey } }),
    },
    {
      name: "task.statusCounts (counts)",
      call: () => ({
        path: "task.statusCounts",
        type: "query",
        input: { workspaceSlug: slug, projectId: fixture.projectId },
      }),
      raw: rawQuery(`SELECT status, count FROM "ProjectStatusCount" WHERE "workspaceId" = $1 AND "projectId" = $2`, [
        ws,
        fixture.projectId,
      ]),
    },
    // Every other read a page or a client makes, once each: none may scan at 1M tasks.
    ...READS.map(([path, input]) => ({
      name: path,
      call: (): Call => ({ path, type: "query", input: input(fixture) }),
    })),
    {
      name: "task.update",
      call: (i) => {
        const task = fixture.updateTasks[i % fixture.updateTasks.length]!;
        return {
          path: "task.update",
          type: "mutation",
          input: {
            workspaceSlug: slug,
            taskId: task.id,
            version: task.version++,
            patch: { title: `Benchmark title ${i} ${randomBytes(2).toString("hex")}` },
          },
        };
      },
    },
    {
      name: "task.move (board)",
      call: (i) => {
        const [a, b] = fixture.moveTasks;
        // Alternate: put A under B, then B under A — a real reorder each time.
        return i % 2 === 0
          ? {
              path: "task.move",
              type: "mutation",
              input: { workspaceSlug: slug, taskId: a, status: "TODO", afterTaskId: b },
            }
          : {
              path: "task.move",
              type: "mutation",
              input: { workspaceSlug: slug, taskId: b, status: "TODO", afterTaskId: a },
            };
      },
    },
  ];
  return scenarios.filter((s) => !ONLY || ONLY.some((word) => s.name.includes(word)));
}

type Fixture = {
  userId: string;
  workspaceId: string;
  projectId: string;
  projectKey: string;
  deepCursor: string;
  deepAfter: After;
  /** Half-way down the second relevance group (matches outside the title), newest updated first. */
  deepRelevanceCursor: string;
  deepRelevanceAfter: After;
  updateTasks: Array<{ id: string; version: number }>;
  moveTasks: [string, string];
  /** A task with comments (and its ref), for the task page's reads. */
  taskId: string;
  taskRef: string;
  rare: RareReads;
};

async function loadFixture(db: ReturnType<typeof createDb>): Promise<Fixture> {
  const owner = await db.membership.findFirst({
    where: { workspace: { slug: SLUG }, role: "OWNER" },
    select: { userId: true, workspaceId: true },
  });
  if (!owner) throw new Error('No "bench" workspace: run `npm run bench:generate` first');
  const total = await db.task.count({ where: { workspaceId: owner.workspaceId, deletedAt: null } });
  // The row half-way down the default order (created desc): its cursor starts a page ~total/2 rows deep.
  const deep = await db.task.findFirst({
    where: { workspaceId: owner.workspaceId, deletedAt: null },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    skip: Math.floor(total / 2),
    select: { id: true, createdAt: true },
  });
  const deepUpdated = await db.task.findFirst({
    where: { workspaceId: owner.workspaceId, deletedAt: null },
    orderBy: [{ updatedAt: "desc" }, { id: "desc" }],
    skip: Math.floor(total / 2),
    select: { id: true, updatedAt: true },
  });
  const project = await db.project.findFirst({
    where: { workspaceId: owner.workspaceId },
    orderBy: { key: "asc" },
    select: { id: true, key: true },
  });
  const updateTasks = await db.task.findMany({
    where: { workspaceId: owner.workspaceId, deletedAt: null },
    orderBy: { number: "desc" },
    take: WARMUP + ITERATIONS * 2,
    select: { id: true, version: true },
  });
  const todo = await db.task.findMany({
    where: { projectId: project!.id, status: "TODO", deletedAt: null },
    orderBy: { position: "asc" },
    take: 2,
    select: { id: true },
  });
  const commented = await db.comment.findFirst({
    where: { workspaceId: owner.workspaceId },
    orderBy: { createdAt: "desc" },
    select: { task: { select: { id: true, number: true, project: { select: { key: true } } } } },
  });
  process.stderr.write(
    `fixture: ${total.toLocaleString("en")} tasks; deep cursor at row ${Math.floor(total / 2).toLocaleString("en")}\n`,
  );
  const rare = await prepareRareReads(db, owner.workspaceId, owner.userId);
  return {
    userId: owner.userId,
    workspaceId: owner.workspaceId,
    projectId: project!.id,
    projectKey: project!.key,
    deepCursor: encodeCursor({ s: "created", d: "desc", v: deep!.createdAt.toISOString(), id: deep!.id }),
    deepAfter: { value: deep!.createdAt.toISOString(), id: deep!.id },
    deepRelevanceCursor: encodeCursor({
      s: "relevance",
      d: "desc",
      v: relevanceCursorValue(1, deepUpdated!.updatedAt),
      id: deepUpdated!.id,
    }),
    deepRelevanceAfter: { value: deepUpdated!.updatedAt.toISOString(), id: deepUpdated!.id },
    updateTasks,
    moveTasks: [todo[0]!.id, todo[1]!.id],
    taskId: commented!.task.id,
    taskRef: `${commented!.task.project.key}-${commented!.task.number}`,
    rare,
  };
}

async function inProcess(db: ReturnType<typeof createDb>, fixture: Fixture): Promise<Stats[]> {
  const caller = createCaller(createInnerContext({ db, viewer: { userId: fixture.userId } }));
  const invoke = (call: Call): Promise<unknown> => {
    const [router, proc] = call.path.split(".") as [string, string];
    const fn = (caller as unknown as Record<string, Record<string, (input: unknown) => Promise<unknown>>>)[router]![
      proc
    ]!;
    return fn(call.input);
  };
  const results: Stats[] = [];
  for (const s of scenarios(fixture)) results.push(await measure(s.name, "in-process", (i) => invoke(s.call(i))));
  return results;
}

/** The same statements through plain `pg` (one connection, no pipeline): what the database alone costs. */
async function rawPg(databaseUrl: string, fixture: Fixture): Promise<Stats[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const results: Stats[] = [];
    for (const s of scenarios(fixture)) {
      const raw = s.raw;
      if (raw) results.push(await measure(s.name, "raw pg", (i) => raw(client, i)));
    }
    return results;
  } finally {
    await client.end();
  }
}

async function overHttp(db: ReturnType<typeof createDb>, fixture: Fixture, databaseUrl: string): Promise<Stats[]> {
  if (!existsSync(path.join(root, ".next", "BUILD_ID"))) {
    process.stderr.write("http: skipped (run `npm run build` first for HTTP numbers)\n");
    return [];
  }
  // A real database session for the bench user, exactly what Auth.js would create.
  const sessionToken = randomBytes(32).toString("hex");
  await db.session.create({
    data: { sessionToken, userId: fixture.userId, expires: new Date(Date.now() + 3_600_000) },
  });
  const { url, child } = await startServer(databaseUrl);
  const headers = { cookie: `authjs.session-token=${sessionToken}`, "content-type": "application/json" };
  const send = async (call: Call): Promise<void> => {
    const body = JSON.stringify(superjson.serialize(call.input));
    const res =
      call.type === "query"
        ? await fetch(`${url}/api/trpc/${call.path}?input=${encodeURIComponent(body)}`, { headers })
        : await fetch(`${url}/api/trpc/${call.path}`, { method: "POST", headers, body });
    if (!res.ok) throw new Error(`${call.path}: HTTP ${res.status} ${(await res.text()).slice(0, 300)}`);
    await res.arrayBuffer();
  };
  try {
    const results: Stats[] = [];
    for (const s of scenarios(fixture)) results.push(await measure(s.name, "http", (i) => send(s.call(i))));
    return results;
  } finally {
    stopServer(child);
    await db.session.delete({ where: { sessionToken } });
  }
}

async function main(): Promise<void> {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error("DATABASE_URL is not set");
  await makeOwnerOperator(databaseUrl);
  const db = createDb(databaseUrl, 10);
  try {
    const fixture = await loadFixture(db);
    // The HTTP run re-reads versions: the in-process run bumped them.
    const results = [
      ...(await inProcess(db, fixture)),
      ...(process.argv.includes("--no-raw") ? [] : await rawPg(databaseUrl, fixture)),
    ];
    if (!process.argv.includes("--no-http")) {
      const fresh = await loadFixture(db);
      results.push(...(await overHttp(db, fresh, databaseUrl)));
    }
    mkdirSync(path.join(root, "bench", "results"), { recursive: true });
    const out = { at: new Date().toISOString(), iterations: ITERATIONS, node: process.version, results };
    writeFileSync(path.join(root, "bench", "results", "latest.json"), `${JSON.stringify(out, null, 2)}\n`);
    process.stdout.write(
      `\n| mode | case | p50 ms | p95 ms | p99 ms |\n|---|---|---:|---:|---:|\n${results.map((r) => `| ${r.mode} | ${r.name} | ${r.p50} | ${r.p95} | ${r.p99} |`).join("\n")}\n`,
    );
  } finally {
    await db.$disconnect();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
