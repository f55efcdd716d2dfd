/**
 * TCP Redis clients (REDIS_URL), for the rate limiter and the cache: each its own connection, with
 * its own bound on how long a command may take.
 *
 * Commands issued before the connection is up (right after start, or during a reconnect) wait in
 * the offline queue instead of failing with "Stream isn't writeable"; commandTimeout bounds that
 * wait, so a Redis that stays down costs each command at most `commandTimeoutMs`.
 */
import { Redis as IORedis } from "ioredis";
import { logger } from "@/server/observability/logger";

export function createRedisClient(url: string, options: { commandTimeoutMs: number; name?: string }): IORedis {
  const client = new IORedis(url, {
    enableOfflineQueue: true,
    commandTimeout: options.commandTimeoutMs,
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    ...(options.name ? { connectionName: options.name } : {}),
  });
  // ioredis reconnects by itself; one warning per outage, not one per retry.
  let reported = false;
  client.on("error", (error: Error) => {
    if (!reported)
      logger.warn({ err: error, redis: options.name }, "redis connection error; retrying in the background");
    reported = true;
  });
  client.on("ready", () => {
    reported = false;
  });
  return client;
}
