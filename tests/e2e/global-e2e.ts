/**
 * Global setup for the browser tests: the production build (`npm run build`)
 * served by Lanes' server (src/server/http/serve.ts start) on a fresh database and a free port, with the dev
 * mailbox switched on (allowed in production because APP_URL is on localhost)
 * so sign-in links can be read at /dev/mailbox. tests/e2e/artifacts/ (git-ignored) is emptied first; it then
 * receives the server's output (server.log) and the failure screenshots.
 */
import { rmSync } from "node:fs";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { startAppServer } from "../setup/app-server";

const root = path.resolve(import.meta.dirname, "..", "..");

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // Screenshots of an earlier run's failures would be mistaken for this run's.
  rmSync(path.join(root, "tests", "e2e", "artifacts"), { recursive: true, force: true });
  const server = await startAppServer({
    mode: "start",
    distDir: ".next",
    logFile: path.join(root, "tests", "e2e", "artifacts", "server.log"),
    label: "e2e tests",
    // The webhook test's receiver runs on this machine: allowed by name, as a private address must be.
    extraEnv: { NODE_ENV: "production", MAIL_TRANSPORT: "mailbox", WEBHOOK_ALLOWED_TARGETS: "127.0.0.1" },
  });
  // The same build configured as a public https deployment (SMTP would send its mail; here it is only logged).
  const https = await startAppServer({
    mode: "start",
    distDir: ".next",
    logFile: path.join(root, "tests", "e2e", "artifacts", "https-server.log"),
    label: "e2e tests (https deployment)",
    mailbox: false,
    // Every interface, as in a container: the address Next sees is then http://0.0.0.0:port.
    hostname: "0.0.0.0",
    extraEnv: { NODE_ENV: "production", APP_URL: "https://lanes.example.test", MAIL_TRANSPORT: "log" },
  });
  project.provide("baseUrl", server.baseUrl);
  project.provide("databaseUrl", server.databaseUrl);
  project.provide("httpsDeploymentUrl", https.baseUrl);
  return async () => {
    await Promise.all([server.stop(), https.stop()]);
  };
}
