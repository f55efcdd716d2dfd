/**
 * Whether this process is shutting down. Set by Lanes' HTTP server on SIGTERM (serve.ts), read by
 * readiness (services/system.ts) inside Next's bundle: on globalThis, since each loads this module.
 * Imports nothing.
 */
const globalForLifecycle = globalThis as unknown as { lanesDraining?: boolean };

export function markDraining(): void {
  globalForLifecycle.lanesDraining = true;
}

export function isDraining(): boolean {
  return globalForLifecycle.lanesDraining === true;
}
