/** Lanes' production server for the HTTP benchmarks: its own port, rate limits off, quiet logs. */
import { SERVER_NODE_FLAGS } from "../scripts/lib/server-flags";
import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

/**
 * Starts `serve.ts start` (as `npm start` runs it) on the production build; resolves once healthy.
 * `api: "next"` serves /api/trpc through Next's route, as before decision 0043, for comparison.
 */
export async function startServer(
  databaseUrl: string,
  env: Record<string, string> = {},
  api: "direct" | "next" = "direct",
): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [
      ...SERVER_NODE_FLAGS,
      "--import",
      "tsx",
      path.join(root, "src/server/http/serve.ts"),
      "start",
      "--port",
      String(port),
      "--hostname",
      "localhost",
      "--api",
      api,
    ],
    {
      cwd: root,
      detached: true,
      stdio: "ignore",
      env: {
        ...process.env,
        NODE_ENV: "production",
        DATABASE_URL: databaseUrl,
        DATABASE_POOL_SIZE: "10",
        RATE_LIMIT_DISABLED: "true",
        LOG_LEVEL: "warn",
        AUTH_SECRET: "lanes-benchmark-secret-0123456789abcdef",
        APP_URL: `http://localhost:${port}`,
        NEXT_TELEMETRY_DISABLED: "1",
        MAIL_TRANSPORT: "log",
        ...env,
      },
    },
  );
  const url = `http://127.0.0.1:${port}`;
  await waitUntilHealthy(`${url}/api/health`, child);
  return { url, child };
}

/** Resolves once `healthUrl` answers 2xx (up to 60 s); kills the process group otherwise. */
export async function waitUntilHealthy(healthUrl: string, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 120; i++) {
    try {
      if ((await fetch(healthUrl)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  stopServer(child, "SIGKILL");
  throw new Error(`${healthUrl} did not become healthy`);
}

/** Stops the server and its process group (Next forks). */
export function stopServer(child: ChildProcess, signal: NodeJS.Signals = "SIGTERM"): void {
  if (child.pid) process.kill(-child.pid, signal);
}
