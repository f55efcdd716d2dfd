/**
 * The job worker (`npm run worker`, scripts/worker.ts) stopped with SIGTERM while a job is running:
 * it finishes that job before it exits, within its bound, and exits 0. The job here is a real
 * webhook delivery to a receiver on this machine that takes two seconds to answer; the delivery is
 * recorded as succeeded, once, and the queue holds nothing left to retry.
 */
process.env.WEBHOOK_ALLOWED_TARGETS = "127.0.0.1";
process.env.RATE_LIMIT_DISABLED = "true";

import { spawn, type ChildProcess } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testDb } from "../setup/file-db";
import { callerFor, makeProject, makeTask, makeWorkspace } from "../helpers/factories";

const ANSWER_AFTER_MS = 2_000;
const root = path.resolve(import.meta.dirname, "..", "..");

let receiver: Server;
let receiverUrl = "";
let requests = 0;
let answered = 0;
let worker: ChildProcess | null = null;

beforeAll(async () => {
  receiver = createServer((req, res) => {
    requests++;
    req.resume();
    req.on("end", () => {
      setTimeout(() => {
        answered++;
        res.writeHead(200, { "content-type": "text/plain" }).end("thanks");
      }, ANSWER_AFTER_MS);
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
});

afterAll(async () => {
  if (worker && worker.exitCode === null && worker.signalCode === null) worker.kill("SIGKILL");
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
});

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function until(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await sleep(50);
  }
}

describe("SIGTERM to the job worker", () => {
  it("lets the running job finish, records it once, and exits 0 within its bound", async () => {
    const ws = await makeWorkspace();
    const project = await makeProject(ws, "WRK");
    const { webhook } = await callerFor(ws.owner).webhook.create({
      workspaceSlug: ws.slug,
      url: receiverUrl,
      events: ["task.created"],
    });

    let output = "";
    worker = spawn(process.execPath, ["--import", "tsx", path.join(root, "scripts", "worker.ts")], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: process.env.DATABASE_URL, LOG_LEVEL: "info" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const exited = new Promise<number | null>((resolve) => worker!.once("exit", (code) => resolve(code)));
    worker.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    worker.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    await until(() => output.includes("worker ready"), 60_000, "the worker is ready");

    await makeTask(ws, project.id, { title: "Delivered while the worker stops" });
    // The delivery is in flight: the receiver has the request and answers in two seconds.
    await until(() => requests === 1, 30_000, "the receiver has the delivery");
    const signalled = Date.now();
    worker.kill("SIGTERM");
    const code = await exited;
    const stoppedMs = Date.now() - signalled;

    expect(code, output.slice(-2_000)).toBe(0);
    expect(output).toMatch(/worker stopping: finishing running jobs/);
    // It waited for the answer (the job finished) but not much longer; the bound is 20 s.
    expect(answered).toBe(1);
    expect(stoppedMs).toBeGreaterThanOrEqual(ANSWER_AFTER_MS - 500);
    expect(stoppedMs).toBeLessThan(15_000);
    const deliveries = await testDb().webhookDelivery.findMany({ where: { webhookId: webhook.id } });
    expect(deliveries.map((d) => ({ status: d.status, attempts: d.attemptCount }))).toEqual([
      { status: "SUCCEEDED", attempts: 1 },
    ]);
    const waiting = await testDb().$queryRaw<Array<{ n: bigint }>>`
      SELECT count(*) AS n FROM pgboss.job WHERE name = 'webhook.deliver' AND state IN ('created', 'retry', 'active')`;
    expect(Number(waiting[0]?.n)).toBe(0);
    expect(requests).toBe(1);
  }, 120_000);
});
