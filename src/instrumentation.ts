/** Runs once when the server starts (Node runtime only): fail fast on bad configuration. */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME === "nodejs") await import("./server/startup");
}
