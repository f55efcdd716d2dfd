/**
 * Dependencies going away under a running production server, for real: this machine's PostgreSQL
 * and Redis are stopped and started again (the commands the machine's own setup uses). PostgreSQL
 * down: a retryable 503 with Retry-After, never a 500 or a hang; readiness 503, liveness 200; back up:
 * served again without restarting Lanes. Redis down: Lanes keeps serving (cache and limits degrade).
 * Runs where the suite uses the machine's PostgreSQL (CI: TEST_DATABASE_URL at 127.0.0.1:5432) and Redis.
 * (No browser here: plain HTTP.)
 */
import path from "node:path";
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { startAppServer, type AppServer } from "../setup/app-server";
import { signIn, trpcMutation, trpcQuery, uniqueEmail } from "../helpers/http";

const machinePostgres =
  /@(127\.0\.0\.1|localhost):5432\//.test(process.env.TEST_DATABASE_URL ?? "") && existsSync("/usr/bin/pg_ctlcluster");
const machineRedis = /^redis:\/\/(127\.0\.0\.1|localhost):6379/.test(process.env.REDIS_URL ?? "");

function postgres(action: "stop" | "start"): void {
  const version = readdirSync("/etc/postgresql")[0]!;
  execFileSync(
    "pg_ctlcluster",
    ["--skip-systemctl-redirect", version, "main", action, ...(action === "stop" ? ["-m", "fast"] : [])],
    {
      stdio: "ignore",
    },
  );
}

function redis(action: "stop" | "start"): void {
  if (action === "stop") execFileSync("redis-cli", ["-p", "6379", "shutdown", "nosave"], { stdio: "ignore" });
  else
    execFileSync(
      "redis-server",
      [
        "--daemonize",
        "yes",
        "--bind",
        "127.0.0.1",
        "-::1",
        "--port",
        "6379",
        "--save",
        "",
        "--appendonly",
        "no",
        "--dir",
        "/var/lib/redis",
        "--logfile",
        "/var/log/redis/ci.log",
      ],
      { stdio: "ignore" },
    );
}

let server: AppServer | null = null;
let base = "";
let cookie = "";
let slug = "";

describe.runIf(machinePostgres && machineRedis)("when a dependency goes away", () => {
  beforeAll(async () => {
    server = await startAppServer({
      mode: "start",
      distDir: ".next",
      logFile: path.resolve(import.meta.dirname, "artifacts", "resilience.log"),
      label: "resilience test",
      databaseUrl: inject("databaseUrl"),
      extraEnv: { NODE_ENV: "production", MAIL_TRANSPORT: "mailbox", DATABASE_POOL_TIMEOUT_MS: "2000" },
    });
    base = server.baseUrl;
    cookie = await signIn(base, uniqueEmail("resilience"));
    slug = `res-${randomBytes(3).toString("hex")}`;
    expect((await trpcMutation(base, "workspace.create", { name: "Resilience", slug }, cookie)).status).toBe(200);
  }, 180_000);

  afterAll(async () => {
    await server?.stop();
  });

  it("PostgreSQL down: 503 + Retry-After within seconds, not ready but alive; back up: served again, no restart", async () => {
    expect((await trpcQuery(base, "project.list", { workspaceSlug: slug }, cookie)).status).toBe(200);
    postgres("stop");
    try {
      for (const call of [
        () => trpcQuery(base, "project.list", { workspaceSlug: slug }, cookie),
        () => trpcMutation(base, "project.create", { workspaceSlug: slug, key: "DOWN", name: "Down" }, cookie),
      ]) {
        const started = Date.now();
        const res = await call();
        expect(Date.now() - started).toBeLessThan(8_000);
        expect(res.status, res.text).toBe(503);
        expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
        expect(res.ok ? null : res.error.data.code).toBe("SERVICE_UNAVAILABLE");
        expect(res.text).not.toMatch(/at .*\.js:\d+|ECONNREFUSED|prisma/i);
      }
      const ready = await fetch(`${base}/api/health/ready`);
      expect(ready.status).toBe(503);
      expect(ready.headers.get("retry-after")).toBe("5");
      expect((await fetch(`${base}/api/health/live`)).status).toBe(200);
    } finally {
      postgres("start");
    }
    await expect
      .poll(async () => (await trpcQuery(base, "project.list", { workspaceSlug: slug }, cookie)).status, {
        timeout: 30_000,
        interval: 500,
      })
      .toBe(200);
    expect((await fetch(`${base}/api/health/ready`)).status).toBe(200);
    const created = await trpcMutation(
      base,
      "project.create",
      { workspaceSlug: slug, key: "BACK", name: "Back" },
      cookie,
    );
    expect(created.status, created.text).toBe(200);
  }, 90_000);

  it("Redis down: reads and writes keep being served; back up: used again", async () => {
    redis("stop");
    try {
      const started = Date.now();
      const read = await trpcQuery(base, "project.list", { workspaceSlug: slug }, cookie);
      expect(read.status, read.text).toBe(200);
      const write = await trpcMutation(
        base,
        "project.create",
        { workspaceSlug: slug, key: "NORD", name: "No Redis" },
        cookie,
      );
      expect(write.status, write.text).toBe(200);
      expect(Date.now() - started).toBeLessThan(5_000);
      expect((await fetch(`${base}/api/health/ready`)).status).toBe(200);
    } finally {
      redis("start");
    }
    await expect
      .poll(
        async () => {
          const ready = (await (await fetch(`${base}/api/health/ready`)).json()) as { redis: { ok: boolean } | null };
          return ready.redis?.ok;
        },
        { timeout: 20_000, interval: 500 },
      )
      .toBe(true);
    expect((await trpcQuery(base, "project.list", { workspaceSlug: slug }, cookie)).status).toBe(200);
  }, 60_000);
});
