/**
 * SIGTERM under load: two production instances on one database, a client that sends reads and
 * writes to both and retries once on the other instance when one refuses or drops a connection —
 * what a load balancer with retries does. One instance is sent SIGTERM mid-load: it finishes what it
 * is serving, closes its connections, stops and exits within its drain bound. No request fails
 * after the retry, and every write the client saw succeed is in the database, once. A live stream
 * open on it is ended with a retryable error (the browser reconnects to the other instance).
 * (No browser here: plain HTTP.)
 */
import path from "node:path";
import { readFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createDb, type Db } from "@/server/db/client";
import { groupAlive } from "../../scripts/lib/processes";
import { startAppServer, type AppServer } from "../setup/app-server";
import { openLiveStream, readToEnd, readUntil, signIn, trpcMutation, uniqueEmail } from "../helpers/http";
import { startLoad } from "../helpers/load";

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
    // A browser's live stream on the instance about to stop: open and past its first event.
    const live = await openLiveStream(a.baseUrl, slug, cookie);
    expect(live.res.status).toBe(200);
    expect(await readUntil(live.reader, /"kind":"ready"/)).toMatch(/"kind":"ready"/);

    let aGone = false;
    // Both instances, in turn; once A has exited, B only (a load balancer has taken A out).
    const load = startLoad({
      targets: () => (aGone ? [b.baseUrl] : [a.baseUrl, b.baseUrl]),
      workers: 8,
      auth: cookie,
      slug,
      projectId,
    });
    await new Promise((r) => setTimeout(r, 2_000));
    const sentBeforeSignal = load.sent();
    const signalled = Date.now();
    process.kill(-a.pid, "SIGTERM");
    const liveEnd = readToEnd(live.reader);
    while (groupAlive(a.pid) && Date.now() - signalled < 20_000) await new Promise((r) => setTimeout(r, 50));
    const drainMs = Date.now() - signalled;
    aGone = true;
    await new Promise((r) => setTimeout(r, 1_000));
    const { sent, retried, failures, written } = await load.stop();

    expect(groupAlive(a.pid), "the instance is still running 20 s after SIGTERM").toBe(false);
    // Its drain bound is 10 s; an idle instance stops in well under one.
    expect(drainMs).toBeLessThan(10_000);
    const log = readFileSync(a.logFile, "utf8");
    expect(log).toMatch(/SIGTERM: draining/);
    expect(log).toMatch(/drained in \d+ ms/);
    expect(log).not.toMatch(/exiting with requests still open/);
    // The stream ended (it never ends on its own) with an error the client retries: "reconnect".
    const ending = await liveEnd;
    expect(ending).toMatch(/^event: serialized-error$/m);
    expect(ending).toMatch(/restarting; reconnect to continue/);

    expect(sentBeforeSignal).toBeGreaterThan(20);
    expect(failures, `${failures.length} of ${sent} requests failed after a retry (${retried} retried)`).toEqual([]);
    const rows = await db!.task.findMany({ where: { projectId }, select: { id: true } });
    expect(new Set(rows.map((r) => r.id))).toEqual(written);
    console.info(`[shutdown] ${sent} requests, ${retried} retried on the other instance, drained in ${drainMs} ms`);
  }, 120_000);
});
