/** Runs once when the server starts: fail fast on bad configuration. */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { env } = await import("@/server/env");
  const { logger } = await import("@/server/observability/logger");
  try {
    const config = env();
    logger.info({ mail: config.MAIL_TRANSPORT, rateLimitStore: config.UPSTASH_REDIS_REST_URL ? "upstash" : config.REDIS_URL ? "redis" : "memory" }, "lanes server starting");
  } catch (error) {
    logger.fatal(error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
}
