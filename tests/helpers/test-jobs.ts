/**
 * A job kind for the queue's own tests: it records each run (job_run) and has one idempotent effect
 * (job_effect, keyed): it can fail a given number of times, and on its first run it can stall long
 * enough for a test to kill its worker mid-job.
 */
import pg from "pg";
import { z } from "zod";
import { defineJob } from "@/server/jobs/definitions";

export const TEST_JOB = "test.effect";

export async function createJobTestTables(databaseUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  await client.query(
    `CREATE TABLE IF NOT EXISTS job_run (
       id serial PRIMARY KEY, key text NOT NULL, job_id text NOT NULL, last_attempt boolean NOT NULL DEFAULT false)`,
  );
  await client.query(`CREATE TABLE IF NOT EXISTS job_effect (key text PRIMARY KEY, job_id text NOT NULL)`);
  await client.end();
}

export function testJobs(databaseUrl: string) {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  return {
    pool,
    jobs: {
      [TEST_JOB]: defineJob({
        payload: z.object({
          key: z.string(),
          failTimes: z.number().int().default(0),
          stallFirstMs: z.number().default(0),
        }),
        retry: { limit: 2, delaySeconds: 1 },
        expireInSeconds: 2,
        async run({ key, failTimes, stallFirstMs }, job) {
          const { rows } = await pool.query<{ runs: string }>(
            `WITH added AS (INSERT INTO job_run (key, job_id, last_attempt) VALUES ($1, $2, $3) RETURNING key)
             SELECT count(*) + 1 AS runs FROM job_run WHERE key = $1`,
            [key, job.id, job.lastAttempt ?? false],
          );
          const run = Number(rows[0]!.runs);
          if (run === 1 && stallFirstMs > 0) await new Promise((resolve) => setTimeout(resolve, stallFirstMs));
          if (run <= failTimes) throw new Error(`planned failure ${run} of ${failTimes}`);
          // The effect: once, however many times the job runs.
          await pool.query(`INSERT INTO job_effect (key, job_id) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING`, [
            key,
            job.id,
          ]);
        },
      }),
    },
  };
}
