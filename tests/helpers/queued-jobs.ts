/**
 * Runs the jobs a test's requests enqueued, as a worker would, without a worker process: each
 * waiting job of one kind is taken off the real queue table and run by its real handler.
 */
import { JOBS, type JobName } from "@/server/jobs/definitions";
import { testDb } from "../setup/file-db";

export async function runQueuedJobs(name: JobName): Promise<number> {
  const taken = await testDb().$queryRaw<Array<{ id: string; data: unknown }>>`
    DELETE FROM pgboss.job WHERE name = ${name} AND state = 'created' RETURNING id::text, data`;
  for (const job of taken) await JOBS[name].run(job.data, { id: job.id });
  return taken.length;
}
