/**
 * Browser end-to-end tests (`npm run test:e2e`), kept out of `npm test`: Chromium
 * drives the production build (`npm run build` first) served by `next start` on
 * a fresh database (tests/e2e/global-e2e.ts).
 */
import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname, "src") } },
  test: {
    name: "e2e",
    include: ["tests/e2e/**/*.test.ts"],
    environment: "node",
    globalSetup: ["tests/e2e/global-e2e.ts"],
    // One server, one browser at a time: files run one after another in one worker.
    fileParallelism: false,
    maxWorkers: 1,
    testTimeout: 90_000,
    hookTimeout: 120_000,
    // expect.poll gives up after 1 s by default: a first page load on a busy 2-core CI machine can
    // take longer (seen: the list's first rows). Tests that wait on something slower say so.
    expect: { poll: { timeout: 5_000 } },
  },
});
