/**
 * The job queue on real PostgreSQL (pg-boss): enqueued in the caller's transaction or not at all,
 * idempotent by key, retried with growing delays and then dead-lettered, and — when its worker is
 * killed mid-job — run again with its effect happening once.
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type PgBoss from "pg-boss";
import { createJobQueue, deadLetterQueue, enqueueIn } from "@/server/jobs/queue";
import { startWorkers } from "@/server/jobs/worker";
import { JOBS } from "@/server/jobs/definitions";
import { testDb } from "../setup/file-db";
import { createJobTestTables, TEST_JOB, testJobs } from "../helpers/test-jobs";

let boss: PgBoss;
let tables: ReturnType<typeof testJobs>;
let databaseUrl = "";

beforeAll(async () => {
  databaseUrl = process.env.DATABASE_URL ?? "";
  await createJobTestTables(databaseUrl);
  tables = testJobs(databaseUrl);
  // Maintenance every second: an expired job (a dead worker's) is taken back quickly.
  boss = await createJobQueue({ connectionString: databaseUrl, jobs: tables.jobs, maintenanceIntervalSeconds: 1 });
}, 60_000);

afterAll(async () => {
  await boss?.stop({ graceful: false, wait: true });
  await tables?.pool.end();
});

const key = () => randomBytes(6).toString("hex");

async function jobsFor(k: string, queue = TEST_JOB) {
  return testDb().$queryRaw<Array<{ id: string; state: string; retry_count: number; output: unknown }>>`
    SELECT id, state::text, retry_count, output FROM pgboss.job WHERE name = ${queue} AND data->>'key' = ${k}`;
}

async function runsOf(k: string): Promise<number> {
  const { rows } = await tables.pool.query<{ n: string }>(`SELECT count(*) AS n FROM job_run WHERE key = $1`, [k]);
  return Number(rows[0]!.n);
}

async function effectsOf(k: string): Promise<number> {
  const { rows } = await tables.pool.query<{ n: string }>(`SELECT count(*) AS n FROM job_effect WHERE key = $1`, [k]);
  return Number(rows[0]!.n);
}

async function until(check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe("enqueueing", () => {
  it("a job exists if and only if the transaction that enqueued it commits", async () => {
    const committed = key();
    await testDb().$transaction(async (tx) => {
      await enqueueIn(boss, tx, tables.jobs, TEST_JOB, { key: committed });
    });
    expect((await jobsFor(committed)).map((j) => j.state)).toEqual(["created"]);

    const rolledBack = key();
    await expect(
      testDb().$transaction(async (tx) => {
        await enqueueIn(boss, tx, tables.jobs, TEST_JOB, { key: rolledBack });
        throw new Error("the change failed after enqueueing");
      }),
    ).rejects.toThrow("the change failed");
    expect(await jobsFor(rolledBack)).toEqual([]);
  });

  it("a job with a key is added once, however often it is enqueued", async () => {
    const k = key();
    for (let i = 0; i < 2; i++)
      await testDb().$transaction((tx) => enqueueIn(boss, tx, tables.jobs, TEST_JOB, { key: k }, { key: `once:${k}` }));
    expect(await jobsFor(k)).toHaveLength(1);
  });

  it("refuses a payload its job does not take, before anything is written", async () => {
    await expect(
      testDb().$transaction((tx) => enqueueIn(boss, tx, tables.jobs, TEST_JOB, { key: 42 })),
    ).rejects.toThrow();
  });
});

describe("running", () => {
  beforeAll(async () => {
    await startWorkers(boss, tables.jobs, 0.5);
  });

  it("runs a job; one that fails is retried until it succeeds, its effect happening once", async () => {
    const ok = key();
    const flaky = key();
    await testDb().$transaction(async (tx) => {
      await enqueueIn(boss, tx, tables.jobs, TEST_JOB, { key: ok });
      await enqueueIn(boss, tx, tables.jobs, TEST_JOB, { key: flaky, failTimes: 2 });
    });
    await until(async () => (await effectsOf(ok)) === 1 && (await effectsOf(flaky)) === 1);
    expect(await runsOf(ok)).toBe(1);
    expect(await runsOf(flaky)).toBe(3);
    expect((await jobsFor(flaky))[0]).toMatchObject({ state: "completed", retry_count: 2 });
  });

  it("past its retry limit a job fails, keeps its error, and goes to the dead-letter queue", async () => {
    const hopeless = key();
    await testDb().$transaction((tx) => enqueueIn(boss, tx, tables.jobs, TEST_JOB, { key: hopeless, failTimes: 99 }));
    await until(async () => (await jobsFor(hopeless, deadLetterQueue(TEST_JOB))).length === 1);
    const [failed] = await jobsFor(hopeless);
    expect(failed).toMatchObject({ state: "failed", retry_count: 2 });
    expect(JSON.stringify(failed!.output)).toContain("planned failure 3 of 99");
    expect(await runsOf(hopeless)).toBe(3);
    expect(await effectsOf(hopeless)).toBe(0);
    // Each run knew whether the queue would give up on it (mail.invitation says so to the inviter).
    const { rows } = await tables.pool.query<{ last_attempt: boolean }>(
      `SELECT last_attempt FROM job_run WHERE key = $1 ORDER BY id`,
      [hopeless],
    );
    expect(rows.map((r) => r.last_attempt)).toEqual([false, false, true]);
  });
});

describe("a worker killed mid-job", () => {
  let child: ChildProcess | null = null;
  afterAll(() => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  });

  it("the job runs again (its lease expires) and its effect happens once", async () => {
    // Only the separate worker may take it: this file's workers are stopped for the test.
    await boss.offWork(TEST_JOB);
    child = spawn(
      process.execPath,
      ["--import", "tsx", path.resolve(import.meta.dirname, "../fixtures/job-worker.ts")],
      {
        env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: "silent" },
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    await new Promise<void>((resolve, reject) => {
      child!.stdout!.on("data", (chunk: Buffer) => chunk.toString().includes("worker ready") && resolve());
      child!.once("exit", (code) => reject(new Error(`the worker exited (${code}) before it was ready`)));
    });
    const k = key();
    await testDb().$transaction((tx) => enqueueIn(boss, tx, tables.jobs, TEST_JOB, { key: k, stallFirstMs: 60_000 }));
    await until(async () => (await runsOf(k)) === 1); // started, and stalled before its effect
    child.kill("SIGKILL");
    await new Promise((resolve) => child!.once("exit", resolve));
    expect(await effectsOf(k)).toBe(0);

    await startWorkers(boss, tables.jobs, 0.5);
    await until(async () => (await effectsOf(k)) === 1, 45_000);
    expect(await runsOf(k)).toBe(2);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await effectsOf(k)).toBe(1);
  }, 90_000);
});

describe("Lanes' jobs", () => {
  it("each has a payload schema, a retry policy and a lease; scheduled ones a cron", () => {
    // A replay is tried once: a person asked for it and reads the result in the log.
    const oneShot = new Set(["webhook.replay"]);
    for (const [name, job] of Object.entries(JOBS)) {
      expect(job.retry.limit, name).toBe(oneShot.has(name) ? 0 : Math.max(1, job.retry.limit));
      expect(job.expireInSeconds, name).toBeGreaterThan(0);
    }
    expect(JOBS["maintenance.purge"].cron).toBe("17 * * * *");
  });
});
