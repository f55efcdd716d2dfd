/** Runs once when the server starts (Node runtime only): tracing first, then fail fast on bad configuration. */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  (await import("./server/observability/tracing")).startTracing();
  await import("./server/startup");
}
