/**
 * First-load JavaScript budgets per route, checked after `npm run build` (CI's "JavaScript budgets"
 * step; `npm run budget`). Next writes each route's first-load chunks to
 * <distDir>/diagnostics/route-bundle-stats.json; this sums their gzip sizes (what a browser
 * downloads) and fails when a route is over its budget, naming the route and the overshoot.
 *
 * Budgets are the measured size plus headroom (docs/performance.md): a change that adds 25 KB to the
 * board is a decision to make on purpose — raise the budget here in the same commit, and say why.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";

/** gzip kilobytes (1,024 bytes) per route; routes not listed get DEFAULT_BUDGET_KB. */
export const BUDGETS_KB: Readonly<Record<string, number>> = {
  // Every page carries React, Next's runtime, TanStack Query and the tRPC client: ~230 KB.
  "/": 250,
  "/signin": 250,
  // The pages Lighthouse measures (bench/lighthouse.ts): board and list, task, workspace home.
  "/w/[slug]/projects/[key]": 345,
  "/w/[slug]/tasks/[ref]": 325,
  "/w/[slug]": 320,
  // The interactive API reference renders the OpenAPI document in the browser: a page of its own weight.
  "/docs/api": 1_200,
};
export const DEFAULT_BUDGET_KB = 325;

export type RouteStats = { route: string; firstLoadChunkPaths: string[] };
export type RouteSize = { route: string; gzipKb: number; budgetKb: number };

/** Each route's first-load gzip size against its budget; `readChunk` reads a chunk path as listed. */
export function measureRoutes(stats: readonly RouteStats[], readChunk: (chunk: string) => Buffer): RouteSize[] {
  const gzipped = new Map<string, number>();
  const sizeOf = (chunk: string) => {
    let size = gzipped.get(chunk);
    if (size === undefined) {
      size = gzipSync(readChunk(chunk)).length;
      gzipped.set(chunk, size);
    }
    return size;
  };
  return stats.map(({ route, firstLoadChunkPaths }) => {
    const bytes = [...new Set(firstLoadChunkPaths)].reduce((sum, chunk) => sum + sizeOf(chunk), 0);
    return { route, gzipKb: Math.round((bytes / 1024) * 10) / 10, budgetKb: BUDGETS_KB[route] ?? DEFAULT_BUDGET_KB };
  });
}

function main(): void {
  const root = path.resolve(import.meta.dirname, "..");
  const distDir = process.env.NEXT_DIST_DIR || ".next";
  const statsFile = path.join(root, distDir, "diagnostics", "route-bundle-stats.json");
  let stats: RouteStats[];
  try {
    stats = JSON.parse(readFileSync(statsFile, "utf8")) as RouteStats[];
  } catch (error) {
    throw new Error(`cannot read ${path.relative(root, statsFile)} (run npm run build first): ${String(error)}`);
  }
  const sizes = measureRoutes(stats, (chunk) => readFileSync(path.resolve(root, chunk)));
  const over = sizes.filter((s) => s.gzipKb > s.budgetKb);
  for (const s of [...sizes].sort((a, b) => b.gzipKb - a.gzipKb))
    process.stdout.write(
      `${s.gzipKb > s.budgetKb ? "✗" : "✓"} ${s.route.padEnd(32)} ${String(s.gzipKb).padStart(7)} KB of ${s.budgetKb} KB\n`,
    );
  if (over.length > 0) {
    process.stderr.write(
      `\nFirst-load JavaScript over budget (gzip): ${over.map((s) => `${s.route} by ${Math.round((s.gzipKb - s.budgetKb) * 10) / 10} KB`).join(", ")}.\n` +
        "Make the page lighter, or raise its budget in scripts/js-budget.ts and say why.\n",
    );
    process.exit(1);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) main();
