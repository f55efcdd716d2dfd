/**
 * Global setup for the http project: one real `next dev` server on its own
 * database and port, for tests that speak HTTP to it (tests/setup/app-server.ts
 * does the work). It answers /api/trpc as production does, outside Next's route. Build output goes to .next-test so it never touches a
 * developer's .next; the server's output goes to tests/http/.server.log.
 */
import path from "node:path";
import type { TestProject } from "vitest/node";
import { freePort, startAppServer } from "./app-server";

const root = path.resolve(import.meta.dirname, "..", "..");

const METRICS_TOKEN = "http-tests-metrics-token-0123456789";

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const metricsPort = await freePort();
  const server = await startAppServer({
    mode: "dev",
    distDir: ".next-test",
    logFile: path.join(root, "tests", "http", ".server.log"),
    label: "http tests",
    // The API path production takes (decision 0043): the API contract tests below run against it.
    api: "direct",
    // Short enough that a test holding a row lock sees the server give up (503) quickly.
    extraEnv: { DATABASE_STATEMENT_TIMEOUT_MS: "2000", METRICS_TOKEN, METRICS_PORT: String(metricsPort) },
  });
  project.provide("metricsUrl", `http://localhost:${metricsPort}/metrics`);
  project.provide("metricsToken", METRICS_TOKEN);
  project.provide("baseUrl", server.baseUrl);
  project.provide("databaseUrl", server.databaseUrl);
  return server.stop;
}
