/**
 * Pages as a person sees them: Lighthouse 12 (desktop preset, Debian's Chromium) on the production
 * build against the 1M-task data set, signed in as the bench workspace's owner. Reports the
 * performance and accessibility scores and LCP / TBT / CLS of the workspace home, a project's board
 * and list, and a task page; writes bench/results/lighthouse.json.
 *
 *   DATABASE_URL=…/lanes_bench npm run bench:lighthouse [-- --runs 3]
 *
 * Lighthouse runs through `npx lighthouse@12.8.2` (its newer majors need Node 22, and it is too heavy
 * to make every install carry it). Needs `npm run build`, bench/generate.ts' data and Chromium
 * (CHROME_PATH, default /usr/bin/chromium). Medians of --runs runs per page.
 */
import "./quiet";
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { argument } from "./cli";
import { startServer, stopServer } from "./server";
import { CHROMIUM_FLAGS, CHROMIUM_PATH } from "../scripts/lib/chromium";

const root = path.resolve(import.meta.dirname, "..");
const LIGHTHOUSE = "lighthouse@12.8.2";
const RUNS = Number(argument("--runs") ?? 3);
const CHROME_FLAGS = ["--headless=new", ...CHROMIUM_FLAGS];

type Audit = {
  title?: string;
  score?: number | null;
  numericValue?: number;
  details?: { items?: Array<{ node?: { snippet?: string; explanation?: string } }> };
};
type Report = {
  categories: Record<
    "performance" | "accessibility",
    { score: number | null; auditRefs: Array<{ id: string; weight: number }> }
  >;
  audits: Record<string, Audit | undefined>;
};

/** The accessibility audits a page fails, with the elements they name: what keeps it from 100. */
function accessibilityFailures(report: Report): string[] {
  return report.categories.accessibility.auditRefs
    .filter((ref) => ref.weight > 0 && report.audits[ref.id]?.score === 0)
    .map((ref) => {
      const audit = report.audits[ref.id];
      const nodes = [
        ...new Set((audit?.details?.items ?? []).map((item) => item.node?.snippet ?? "").filter(Boolean)),
      ].slice(0, 8);
      return `${ref.id}: ${audit?.title ?? ""}${nodes.length ? `\n      ${nodes.join("\n      ")}` : ""}`;
    });
}
type Result = {
  page: string;
  path: string;
  performance: number;
  accessibility: number;
  lcpMs: number;
  tbtMs: number;
  cls: number;
};

const run = promisify(execFile);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** Lighthouse now and then fails to record a trace (NO_NAVSTART); such a run is tried again, twice at most. */
async function lighthouse(url: string, cookie: string, dir: string, attempt = 1): Promise<Report> {
  try {
    return await lighthouseOnce(url, cookie, dir);
  } catch (error) {
    if (attempt >= 3) throw error;
    process.stderr.write(`lighthouse failed on ${url} (attempt ${attempt}); trying again\n`);
    return lighthouse(url, cookie, dir, attempt + 1);
  }
}

async function lighthouseOnce(url: string, cookie: string, dir: string): Promise<Report> {
  const output = path.join(dir, `report-${randomBytes(4).toString("hex")}.json`);
  await run(
    "npx",
    [
      "--yes",
      LIGHTHOUSE,
      url,
      "--preset=desktop",
      "--only-categories=performance,accessibility",
      "--output=json",
      `--output-path=${output}`,
      `--chrome-path=${CHROMIUM_PATH}`,
      `--chrome-flags=${CHROME_FLAGS.join(" ")}`,
      `--extra-headers=${JSON.stringify({ Cookie: cookie })}`,
      "--quiet",
    ],
    { cwd: dir, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, CHROME_PATH: CHROMIUM_PATH } },
  );
  return JSON.parse(readFileSync(output, "utf8")) as Report;
}

async function main(): Promise<void> {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error("DATABASE_URL is not set");
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const { rows } = await client.query<{ userId: string; key: string; number: number }>(
    `SELECT m."userId", p.key, (SELECT max(t.number) FROM "Task" t WHERE t."projectId" = p.id) AS number
       FROM "Workspace" w
       JOIN "Membership" m ON m."workspaceId" = w.id AND m.role = 'OWNER'
       JOIN "Project" p ON p."workspaceId" = w.id
      WHERE w.slug = 'bench' ORDER BY p.key LIMIT 1`,
  );
  const fixture = rows[0];
  if (!fixture) throw new Error("no 'bench' workspace: run npm run bench:generate first");
  const sessionToken = randomBytes(32).toString("hex");
  await client.query(
    `INSERT INTO "Session" ("sessionToken", "userId", expires, "updatedAt") VALUES ($1, $2, $3, now())`,
    [sessionToken, fixture.userId, new Date(Date.now() + 3_600_000)],
  );
  const pages = [
    { page: "workspace home", path: "/w/bench" },
    { page: "board", path: `/w/bench/projects/${fixture.key}` },
    { page: "list", path: `/w/bench/projects/${fixture.key}?view=list` },
    { page: "task", path: `/w/bench/tasks/${fixture.key}-${fixture.number}` },
  ];
  const dir = mkdtempSync(path.join(os.tmpdir(), "lanes-lighthouse-"));
  const server = await startServer(databaseUrl);
  const results: Result[] = [];
  try {
    const cookie = `authjs.session-token=${sessionToken}`;
    // Warm-up: the server's first render of each page compiles nothing, but fills pools and caches.
    for (const { path: pagePath } of pages) await fetch(`${server.url}${pagePath}`, { headers: { cookie } });
    for (const { page, path: pagePath } of pages) {
      const reports: Report[] = [];
      for (let i = 0; i < RUNS; i++) reports.push(await lighthouse(`${server.url}${pagePath}`, cookie, dir));
      const of = (pick: (r: Report) => number) => median(reports.map(pick));
      const result: Result = {
        page,
        path: pagePath,
        performance: of((r) => Math.round((r.categories.performance.score ?? 0) * 100)),
        accessibility: of((r) => Math.round((r.categories.accessibility.score ?? 0) * 100)),
        lcpMs: of((r) => Math.round(r.audits["largest-contentful-paint"]?.numericValue ?? Number.NaN)),
        tbtMs: of((r) => Math.round(r.audits["total-blocking-time"]?.numericValue ?? Number.NaN)),
        cls: of((r) => Math.round((r.audits["cumulative-layout-shift"]?.numericValue ?? Number.NaN) * 1000) / 1000),
      };
      results.push(result);
      process.stdout.write(`${page}: performance ${result.performance}, accessibility ${result.accessibility}\n`);
      for (const failure of new Set(reports.flatMap(accessibilityFailures))) process.stdout.write(`    ✗ ${failure}\n`);
    }
  } finally {
    stopServer(server.child);
    rmSync(dir, { recursive: true, force: true });
    await client.query(`DELETE FROM "Session" WHERE "sessionToken" = $1`, [sessionToken]);
    await client.end();
  }
  mkdirSync(path.join(root, "bench", "results"), { recursive: true });
  const out = { at: new Date().toISOString(), lighthouse: LIGHTHOUSE, runs: RUNS, results };
  writeFileSync(path.join(root, "bench", "results", "lighthouse.json"), `${JSON.stringify(out, null, 2)}\n`);
  process.stdout.write(
    `\n| page | performance | accessibility | LCP ms | TBT ms | CLS |\n|---|---:|---:|---:|---:|---:|\n${results
      .map((r) => `| ${r.page} | ${r.performance} | ${r.accessibility} | ${r.lcpMs} | ${r.tbtMs} | ${r.cls} |`)
      .join("\n")}\n\nGoal: performance ≥ 90 and accessibility 100 on every page, LCP < 1 s.\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
