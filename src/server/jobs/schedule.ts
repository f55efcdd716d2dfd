/**
 * Runs purgeExpired soon after start and then every hour, in the server process. Written by hand
 * (a timer and a database lock) until the job queue arrives with its own cron schedules; every
 * instance runs the timer, the advisory lock in purgeExpired makes one of them do the work.
 */
import { db } from "@/server/db/client";
import { logger } from "@/server/observability/logger";
import { purgeExpired } from "@/server/services/maintenance";

const FIRST_RUN_DELAY_MS = 60_000;
const INTERVAL_MS = 60 * 60_000;

async function runOnce(): Promise<void> {
  try {
    const report = await purgeExpired(db());
    if (report) logger.info({ purged: report }, "purged expired rows");
  } catch (error) {
    // A busy or unreachable database just means "next hour".
    logger.warn({ err: error }, "purging expired rows failed; will retry");
  }
}

const globalForScheduler = globalThis as unknown as { lanesPurgeTimer?: NodeJS.Timeout };

export function startMaintenanceSchedule(): void {
  if (globalForScheduler.lanesPurgeTimer) return;
  const first = setTimeout(() => {
    void runOnce();
    globalForScheduler.lanesPurgeTimer = setInterval(() => void runOnce(), INTERVAL_MS);
    globalForScheduler.lanesPurgeTimer.unref();
  }, FIRST_RUN_DELAY_MS);
  first.unref();
  globalForScheduler.lanesPurgeTimer = first;
}
