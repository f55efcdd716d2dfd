/** Server start-up checks, imported once by src/instrumentation.ts. */
import { env } from "@/server/env";
import { logger } from "@/server/observability/logger";
import { startJobs } from "@/server/jobs/start";
import { cacheStore } from "@/server/cache/cache";
import { listenForInvalidations } from "@/server/cache/invalidation-listener";

try {
  const config = env();
  logger.info(
    {
      mail: config.MAIL_TRANSPORT,
      rateLimitStore: config.UPSTASH_REDIS_REST_URL ? "upstash" : config.REDIS_URL ? "redis" : "memory",
      cache: cacheStore()?.kind ?? "off",
      jobWorkers: config.JOB_WORKERS,
    },
    "lanes server starting",
  );
  startJobs(config.JOB_WORKERS === "inline");
  if (config.UPSTASH_REDIS_REST_URL && !config.REDIS_URL)
    logger.warn(
      "the request cache is per process without REDIS_URL: with several instances, another instance sees a role change or a revoked key a moment later (set REDIS_URL, or CACHE_DISABLED=true)",
    );
  const cache = cacheStore();
  if (cache) listenForInvalidations(config.DATABASE_URL, cache);
} catch (error) {
  logger.fatal(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
