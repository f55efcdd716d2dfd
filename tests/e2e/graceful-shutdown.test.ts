/**
 * SIGTERM under load: two production instances on one database, a client that sends reads and
 * writes to both and retries once on the other instance when one refuses or drops a connection —
 * what a load balancer with retries does. One instance is sent SIGTERM mid-load: it finishes what it
 * is serving, closes its connections, stops and exits within its drain bound. No request fails
 * after the retry, and every write the client saw succeed is in the database, once.
 * (No browser here: plain HTTP.)
 */
import path from "node:path";
import { readFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createDb, type Db } from "@/server/db/client";
import { groupAlive } from "../../scripts/lib/processes";
import { startAppServer, type AppServer } from "../setup/app-server";
import { signIn, trpcMutation, trpcQuery, uniqueEmail, type TrpcResponse } from "../helpers/http";

const artifacts = path.resolve(import.meta.dirname, "artifacts");
let stopping: AppServer | null = null;
let staying: AppServer | null = null;
let db: Db | null = null;

function start(name: string): Promise<AppServer> {
  return startAppServer({
    mode: "start",
    distDir: ".next",
    logFile: path.join(artifacts, `shutdown-${name}.log`),
    label: `shutdown test (${name})`,
    databaseUrl: inject("databaseUrl"),
    extraEnv: { NODE_ENV: "production", MAIL_TRANSPORT: "mailbox", RATE_LIMIT_DISABLED: "true" },
  });
}

/** A refusal the client may retry elsewhere: no connection, a dropped one, or a 503. */
function retryable(outcome: TrpcResponse<unknown> | Error): boolean {
  return outcome instanceof Error || outcome.status === 503;
}

describe("SIGTERM under load", () => {
  beforeAll(async () => {
    [stopping, staying] = await Promise.all([start("a"), start("b")]);
    db = createDb(inject("databaseUrl"), 2);
  }, 180_000);

  afterAll(async () => {
    await Promise.all([stopping?.stop(), staying?.stop()]);
    await db?.$disconnect();
  });

  it("drains in flight, exits 0 within its bound, and with one retry no request fails and no write is lost", async () => {
    const a = stopping!;
    const b = staying!;
    const cookie = await signIn(b.baseUrl, uniqueEmail("drain"));
    const slug = `drain-${randomBytes(3).toString("hex")}`;
    const created = await trpcMutation<{ id: string }>(b.baseUrl, "workspace.create", { name: "Drain", slug }, cookie);
    expect(created.status).toBe(200);
    const project = await trpcMutation<{ id: string }>(
      b.baseUrl,
      "project.create",
      { workspaceSlug: slug, key: "DRN", name: "Drain" },
      cookie,
    );
    if (!project.ok) throw new Error(project.text);
    const projectId = project.data.id;

    const servers = [a.baseUrl, b.baseUrl];
    let aGone = false;
    const failures: string[] = [];
    const written = new Set<string>();
    let sent = 0;
    let retried = 0;
    let stopLoad = false;

    /** One call, first to `first`, then once to the other instance if the first refused it. */
    async function call(first: number, run: (base: string) => Promise<TrpcResponse<unknown>>) {
      sent++;
      const attempt = (base: string) => run(base).catch((error: unknown) => error as Error);
      let outcome = await attempt(servers[first]!);
      if (retryable(outcome)) {
        retried++;
        outcome = await attempt(servers[1 - first]!);
      }
      if (outcome instanceof Error || !outcome.ok) {
        failures.push(outcome instanceof Error ? outcome.message : `${outcome.status} ${outcome.text.slice(0, 200)}`);
        return null;
      }
      return outcome;
    }

    async function worker(index: number) {
      for (let i = 0; !stopLoad; i++) {
        const first = aGone ? 1 : (index + i) % 2;
        if (i % 3 === 0) {
          // A write with an idempotency key: a retry of a request that did reach the first instance
          // returns the same task instead of making a second one.
          const key = `drain-${index}-${i}-${randomBytes(3).toString("hex")}`;
          const res = await call(first, (base) =>
            trpcMutation<{ id: string }>(
              base,
              "task.create",
              { workspaceSlug: slug, projectId, title: `Task ${key}`, idempotencyKey: key },
              cookie,
            ),
          );
          if (res) written.add((res.data as { id: string }).id);
        } else {
          await call(first, (base) =>
            trpcQuery(base, "task.list", { workspaceSlug: slug, filter: { projectId } }, cookie),
          );
        }
      }
    }

    const load = Promise.all(Array.from({ length: 8 }, (_, i) => worker(i)));
    await new Promise((r) => setTimeout(r, 2_000));
    const sentBeforeSignal = sent;
    const signalled = Date.now();
    process.kill(-a.pid, "SIGTERM");
    while (groupAlive(a.pid) && Date.now() - signalled < 20_000) await new Promise((r) => setTimeout(r, 50));
    const drainMs = Date.now() - signalled;
    aGone = true;
    await new Promise((r) => setTimeout(r, 1_000));
    stopLoad = true;
    await load;

    expect(groupAlive(a.pid), "the instance is still running 20 s after SIGTERM").toBe(false);
    // Its drain bound is 10 s; an idle instance stops in well under one.
    expect(drainMs).toBeLessThan(10_000);
    const log = readFileSync(a.logFile, "utf8");
    expect(log).toMatch(/SIGTERM: draining/);
    expect(log).toMatch(/drained in \d+ ms/);
    expect(log).not.toMatch(/exiting with requests still open/);

    expect(sentBeforeSignal).toBeGreaterThan(20);
    expect(failures, `${failures.length} of ${sent} requests failed after a retry (${retried} retried)`).toEqual([]);
    const rows = await db!.task.findMany({ where: { projectId }, select: { id: true } });
    expect(new Set(rows.map((r) => r.id))).toEqual(written);
    console.info(`[shutdown] ${sent} requests, ${retried} retried on the other instance, drained in ${drainMs} ms`);
  }, 120_000);
});
