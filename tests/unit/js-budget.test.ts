import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { gzipSync } from "node:zlib";
import { BUDGETS_KB, DEFAULT_BUDGET_KB, measureRoutes } from "../../scripts/js-budget";

describe("first-load JavaScript budgets", () => {
  it("sums each route's chunks gzipped, once per chunk, against the route's budget or the default", () => {
    const chunks: Record<string, Buffer> = {
      "shared.js": randomBytes(40_000),
      "board.js": Buffer.from("x".repeat(500_000)),
    };
    const reads: string[] = [];
    const sizes = measureRoutes(
      [
        { route: "/w/[slug]/projects/[key]", firstLoadChunkPaths: ["shared.js", "board.js", "shared.js"] },
        { route: "/w/[slug]/unlisted", firstLoadChunkPaths: ["shared.js"] },
      ],
      (chunk) => {
        reads.push(chunk);
        return chunks[chunk]!;
      },
    );
    const kb = (...names: string[]) =>
      Math.round((names.reduce((sum, n) => sum + gzipSync(chunks[n]!).length, 0) / 1024) * 10) / 10;
    expect(sizes).toEqual([
      {
        route: "/w/[slug]/projects/[key]",
        gzipKb: kb("shared.js", "board.js"),
        budgetKb: BUDGETS_KB["/w/[slug]/projects/[key]"],
      },
      { route: "/w/[slug]/unlisted", gzipKb: kb("shared.js"), budgetKb: DEFAULT_BUDGET_KB },
    ]);
    // Random bytes do not compress: the shared chunk alone is ~39 KB; each chunk is read once.
    expect(sizes[1]!.gzipKb).toBeGreaterThan(38);
    expect(reads.sort()).toEqual(["board.js", "shared.js"]);
  });
});
