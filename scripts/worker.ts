/**
 * `npm run worker`: a process that only runs background jobs (docs/decisions/0030-job-queue.md), for
 * deployments whose web servers run with JOB_WORKERS=off. SIGTERM or SIGINT lets running jobs finish
 * (or releases them to run again) before it exits.
 */
import { parseEnv } from "@/server/env";
import { logger } from "@/server/observability/logger";
import { JOBS } from "@/server/jobs/definitions";
import { jobQueue, stopJobQueue } from "@/server/jobs/queue";
import { startWorkers } from "@/server/jobs/worker";

async function main(): Promise<void> {
  parseEnv(process.env); // fails here, naming the variable
  const boss = await jobQueue();
  await startWorkers(boss, JOBS);
  logger.info({ jobs: Object.keys(JOBS) }, "worker ready");
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "worker stopping: finishing running jobs");
    void stopJobQueue().finally(() => process.exit(0));
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

main().catch((error: unknown) => {
  logger.fatal({ err: error }, "worker failed to start");
  process.exit(1);
});
