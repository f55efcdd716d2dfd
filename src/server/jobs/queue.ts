/**
 * The job queue: pg-boss on Lanes' own PostgreSQL (schema `pgboss`; docs/decisions/0030-job-queue.md).
 * A job is enqueued in the same transaction as the change that causes it (`enqueue`), so a process
 * that dies after commit loses no job and a rolled-back change leaves none behind. Workers
 * (./worker.ts) run in the app process (JOB_WORKERS=inline, the default) or apart (`npm run worker`).
 */
import { createHash } from "node:crypto";
import PgBoss from "pg-boss";
import { env } from "@/server/env";
import type { DbTx } from "@/server/db/client";
import { logger } from "@/server/observability/logger";
import { JOBS, type JobTable, type JobName, type JobPayload } from "./definitions";
import { runningQueue, setRunningQueue, stopJobQueue } from "./running";

const SCHEMA = "pgboss";

/** Where a job goes when its retries are spent: kept 30 days, listed, retryable by hand. */
export function deadLetterQueue(name: string): string {
  return `${name}.dead`;
}

export type QueueSettings = {
  connectionString: string;
  jobs: JobTable;
  /** How often expired jobs (a worker that died mid-job) and cron schedules are checked. */
  maintenanceIntervalSeconds?: number;
};

/** Starts pg-boss (creating or migrating its schema) and one queue, plus a dead-letter queue, per job. */
export async function createJobQueue(settings: QueueSettings): Promise<PgBoss> {
  const boss = new PgBoss({
    connectionString: settings.connectionString,
    schema: SCHEMA,
    application_name: "lanes-jobs",
    max: 4,
    maintenanceIntervalSeconds: settings.maintenanceIntervalSeconds ?? 60,
    monitorStateIntervalSeconds: settings.maintenanceIntervalSeconds ?? 60,
  });
  boss.on("error", (error) => logger.warn({ err: error }, "job queue error"));
  await boss.start();
  for (const [name, job] of Object.entries(settings.jobs)) {
    await ensureQueue(boss, { name: deadLetterQueue(name), retentionDays: 30 });
    await ensureQueue(boss, {
      name,
      retryLimit: job.retry.limit,
      retryDelay: job.retry.delaySeconds,
      // Doubling delays with jitter: pg-boss waits delay·2ⁿ/2 plus a random part of the same size.
      retryBackoff: true,
      expireInSeconds: job.expireInSeconds,
      retentionDays: 7,
      deadLetter: deadLetterQueue(name),
    });
  }
  return boss;
}

async function ensureQueue(boss: PgBoss, options: PgBoss.Queue): Promise<void> {
  if (await boss.getQueue(options.name)) await boss.updateQueue(options.name, options);
  else await boss.createQueue(options.name, options);
}

/** This process's queue on DATABASE_URL with Lanes' jobs, started on first use. */
export function jobQueue(): Promise<PgBoss> {
  const running = runningQueue<PgBoss>();
  if (running) return running;
  const starting = createJobQueue({ connectionString: env().DATABASE_URL, jobs: JOBS }).catch((error: unknown) => {
    setRunningQueue(undefined); // the next use tries again
    throw error;
  });
  setRunningQueue(starting);
  return starting;
}

export { stopJobQueue };

/** pg-boss's SQL run through a Prisma transaction (or client). */
function through(tx: DbTx): PgBoss.Db {
  return {
    executeSql: async (text: string, values: unknown[]) => ({ rows: await tx.$queryRawUnsafe(text, ...values) }),
  };
}

export type EnqueueOptions = { key?: string; startAfterSeconds?: number };
export type JobToEnqueue<Payload = unknown> = { payload: Payload } & EnqueueOptions;

/** Adds jobs of one kind to `boss` inside `tx`, in one statement (tests use their own table). */
export async function enqueueAllIn<Table extends JobTable, Name extends keyof Table & string>(
  boss: PgBoss,
  tx: DbTx,
  jobs: Table,
  name: Name,
  items: readonly JobToEnqueue[],
): Promise<void> {
  if (items.length === 0) return;
  const rows = items.map(({ payload, key, startAfterSeconds }) => ({
    id: key ? jobIdFor(name, key) : undefined,
    name,
    data: jobs[name]!.payload.parse(payload) as object,
    startAfter: startAfterSeconds ? new Date(Date.now() + startAfterSeconds * 1000).toISOString() : undefined,
  }));
  await boss.insert(rows, { db: through(tx) });
}

/** One job of `jobs` inside `tx`. */
export function enqueueIn<Table extends JobTable, Name extends keyof Table & string>(
  boss: PgBoss,
  tx: DbTx,
  jobs: Table,
  name: Name,
  payload: unknown,
  options: EnqueueOptions = {},
): Promise<void> {
  return enqueueAllIn(boss, tx, jobs, name, [{ payload, ...options }]);
}

/** The same key always names the same job (a UUID from its hash): enqueueing it again adds nothing. */
export function jobIdFor(name: string, key: string): string {
  const hex = createHash("sha256").update(`${name}\u0000${key}`).digest("hex");
  // RFC 9562 version 8 (custom) UUID with the variant bits set.
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${((parseInt(hex[16]!, 16) & 3) | 8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * Enqueues a Lanes job inside `tx`: it exists if and only if the transaction commits. With `key`, the
 * job is added once: enqueueing the same name and key again (a retried request) adds nothing.
 */
export async function enqueue<Name extends JobName>(
  tx: DbTx,
  name: Name,
  payload: JobPayload<Name>,
  options: EnqueueOptions = {},
): Promise<void> {
  await enqueueIn(await jobQueue(), tx, JOBS, name, payload, options);
}

/** Several Lanes jobs of one kind inside `tx`, in one statement (as `enqueue` for each). */
export async function enqueueAll<Name extends JobName>(
  tx: DbTx,
  name: Name,
  items: ReadonlyArray<JobToEnqueue<JobPayload<Name>>>,
): Promise<void> {
  await enqueueAllIn(await jobQueue(), tx, JOBS, name, items);
}
