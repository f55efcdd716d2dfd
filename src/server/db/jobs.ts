/**
 * The job queue's tables (pg-boss, schema `pgboss`), read for the operators' jobs page. Read with SQL:
 * pg-boss has no listing API. Retrying goes through pg-boss itself (src/server/services/jobs-admin.ts).
 */
import type { DbTx } from "./client";
import { isUndefinedTable } from "./errors";

export type QueueCountRow = { name: string; state: string; count: bigint };

/**
 * A read of the queue's tables, or `none` when pg-boss has not made them yet: it does when a process
 * first uses the queue (the first enqueue, or a worker starting); on a new installation before that
 * there are simply no jobs. (Recognised from the error, so the usual case costs no extra query.)
 */
async function readQueue<T>(read: Promise<T>, none: T): Promise<T> {
  try {
    return await read;
  } catch (error) {
    if (isUndefinedTable(error)) return none;
    throw error;
  }
}

export function countJobsByQueueAndState(db: DbTx): Promise<QueueCountRow[]> {
  return readQueue(
    db.$queryRaw<QueueCountRow[]>`
      SELECT name, state::text AS state, count(*) AS count FROM pgboss.job GROUP BY name, state ORDER BY name, state`,
    [],
  );
}

/** Jobs not finished yet, per queue and state: what the queue-depth gauge reports. */
export function countWaitingJobs(db: DbTx): Promise<QueueCountRow[]> {
  return readQueue(
    db.$queryRaw<QueueCountRow[]>`
      SELECT name, state::text AS state, count(*) AS count FROM pgboss.job
       WHERE state IN ('created', 'retry', 'active') GROUP BY name, state`,
    [],
  );
}

export type JobRow = {
  id: string;
  name: string;
  state: string;
  retry_count: number;
  retry_limit: number;
  data: unknown;
  output: unknown;
  created_on: Date;
  start_after: Date;
  started_on: Date | null;
  completed_on: Date | null;
};

/**
 * Jobs to look at: failed ones and those waiting to be retried, everything in a dead-letter queue
 * (`<name>.dead`), and — with `includeQueued` — those waiting or running. Newest first.
 */
export function listJobs(db: DbTx, includeQueued: boolean, take: number): Promise<JobRow[]> {
  return readQueue(
    db.$queryRaw<JobRow[]>`
      SELECT id::text, name, state::text AS state, retry_count, retry_limit, data, output, created_on, start_after,
             started_on, completed_on
        FROM pgboss.job
       WHERE state IN ('failed', 'retry')
          OR name LIKE '%.dead'
          OR (${includeQueued} AND state IN ('created', 'active'))
       ORDER BY created_on DESC
       LIMIT ${take}`,
    [],
  );
}

export async function findJob(db: DbTx, name: string, id: string): Promise<JobRow | null> {
  const rows = await readQueue(
    db.$queryRaw<JobRow[]>`
      SELECT id::text, name, state::text AS state, retry_count, retry_limit, data, output, created_on, start_after,
             started_on, completed_on
        FROM pgboss.job WHERE name = ${name} AND id = ${id}::uuid`,
    [],
  );
  return rows[0] ?? null;
}
