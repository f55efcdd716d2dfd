/**
 * Starts the queue in a server process (so requests can enqueue) and, with JOB_WORKERS=inline, the
 * workers and cron schedules too. A database that is not there yet is retried, never fatal: the
 * server keeps serving, and jobs enqueued meanwhile wait in their transaction's table.
 */
import { logger } from "@/server/observability/logger";
import { JOBS } from "./definitions";
import { jobQueue } from "./queue";
import { startWorkers } from "./worker";

const RETRY_MS = 30_000;

export function startJobs(runWorkers: boolean): void {
  const attempt = async () => {
    try {
      const boss = await jobQueue();
      if (runWorkers) await startWorkers(boss, JOBS);
      logger.info({ workers: runWorkers }, "job queue started");
    } catch (error) {
      logger.warn({ err: error }, "job queue could not start; retrying");
      setTimeout(() => void attempt(), RETRY_MS).unref();
    }
  };
  void attempt();
}
