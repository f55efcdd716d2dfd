/**
 * The process's started queue, kept on globalThis: Next's server bundle starts it (instrumentation),
 * while Lanes' HTTP server (src/server/http/serve.ts, outside that bundle) stops it on SIGTERM. This
 * module imports nothing heavy, so the HTTP server can use it without loading the app's modules twice.
 */
type Stoppable = { stop(options: { graceful: boolean; timeout: number; wait: boolean }): Promise<void> };

const globalForJobs = globalThis as unknown as { lanesQueue?: Promise<Stoppable> };

export function runningQueue<Queue extends Stoppable>(): Promise<Queue> | undefined {
  return globalForJobs.lanesQueue as Promise<Queue> | undefined;
}

export function setRunningQueue(queue: Promise<Stoppable> | undefined): void {
  globalForJobs.lanesQueue = queue;
}

/** Stops the queue: running jobs finish, or are released to run again, within `timeoutMs`. */
export async function stopJobQueue(timeoutMs = 20_000): Promise<void> {
  const started = globalForJobs.lanesQueue;
  globalForJobs.lanesQueue = undefined;
  if (!started) return;
  const queue = await started.catch(() => null);
  await queue?.stop({ graceful: true, timeout: timeoutMs, wait: true });
}
