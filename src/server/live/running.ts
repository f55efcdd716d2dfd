/**
 * The process's live hub, kept on globalThis: Next's server bundle creates it on the first
 * subscription, while Lanes' HTTP server (src/server/http/serve.ts, outside that bundle) closes it on
 * SIGTERM so open streams end at once (their clients reconnect to another instance and resume).
 * Imports nothing heavy, like src/server/jobs/running.ts.
 */
type Closable = { close(): Promise<void> };

const globalForLive = globalThis as unknown as { lanesLiveHub?: Closable };

export function runningLiveHub<Hub extends Closable>(): Hub | undefined {
  return globalForLive.lanesLiveHub as Hub | undefined;
}

export function setRunningLiveHub(hub: Closable | undefined): void {
  globalForLive.lanesLiveHub = hub;
}

/** Ends every live stream this process serves. */
export async function closeLiveHub(): Promise<void> {
  const hub = globalForLive.lanesLiveHub;
  globalForLive.lanesLiveHub = undefined;
  await hub?.close();
}
