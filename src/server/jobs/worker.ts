/**
 * Runs the jobs of a table on a queue: one pg-boss worker per job kind, and the cron schedules.
 * A job that throws is retried by pg-boss (doubling delays with jitter) and, past its retry limit,
 * moved to its dead-letter queue; the error is kept with it for the jobs page.
 */
import type PgBoss from "pg-boss";
import { logger } from "@/server/observability/logger";
import { metrics } from "@/server/observability/metrics";
import type { JobTable } from "./definitions";

export async function startWorkers(boss: PgBoss, jobs: JobTable, pollingIntervalSeconds = 2): Promise<void> {
  for (const [name, job] of Object.entries(jobs)) {
    let workerId: string | null = null;
    const options = { pollingIntervalSeconds, batchSize: 1, includeMetadata: true } as const;
    workerId = await boss.work(name, options, async ([next]) => {
      if (!next) return;
      // pg-boss 10 waits the polling interval after every fetch, even one that found a job (0.5 jobs/s
      // at 2 s): having found one, look for the next at once. An empty queue is still polled calmly.
      if (workerId) boss.notifyWorker(workerId);
      const started = performance.now();
      try {
        // Attempt n has retryCount n - 1; the one with retryCount = retryLimit is the last.
        await job.run(next.data, { id: next.id, lastAttempt: next.retryCount >= next.retryLimit });
        const elapsed = performance.now() - started;
        metrics().jobs.observe({ job: name, outcome: "ok" }, elapsed / 1000);
        logger.info({ job: name, jobId: next.id, durationMs: Math.round(elapsed) }, "job done");
      } catch (error) {
        metrics().jobs.observe({ job: name, outcome: "failed" }, (performance.now() - started) / 1000);
        logger.warn(
          { job: name, jobId: next.id, err: error },
          "job failed; pg-boss retries it or moves it to dead letters",
        );
        throw error;
      }
    });
    if (job.cron) await boss.schedule(name, job.cron, {}, { tz: "UTC" });
  }
}
