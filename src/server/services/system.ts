import packageJson from "../../../package.json" with { type: "json" };
import { isDraining } from "@/server/http/lifecycle";
import { withDeadline } from "@/server/deadline";
import type { Db } from "@/server/db/client";
import { LATEST_MIGRATION, migrationState, pingDatabase } from "@/server/db/health";
import { replicaClients } from "@/server/db/replicas";
import { env } from "@/server/env";
import { createRedisClient } from "@/server/redis";
import type { Health, Readiness } from "@/shared/schemas/system";

export const APP_VERSION: string = packageJson.version;

export async function checkHealth(db: Db): Promise<Health> {
  const latencyMs = await pingDatabase(db);
  return {
    status: latencyMs === null ? "degraded" : "ok",
    version: APP_VERSION,
    uptimeSeconds: Math.round(process.uptime()),
    database: { ok: latencyMs !== null, latencyMs },
  };
}

/** Each readiness check gets this long; a dependency slower than that counts as down. */
export const READINESS_TIMEOUT_MS = 1_500;

type Check = { ok: boolean; latencyMs: number | null; error?: string };

/** Runs `probe` with a deadline; any failure or timeout is "not ok", with a short reason. */
async function timed<T>(probe: () => Promise<T>, timeoutMs: number): Promise<Check & { value?: T }> {
  const started = performance.now();
  try {
    const value = await withDeadline(probe(), timeoutMs, () => new Error(`no answer within ${timeoutMs} ms`));
    return { ok: true, latencyMs: Math.round((performance.now() - started) * 10) / 10, value };
  } catch (error) {
    return { ok: false, latencyMs: null, error: error instanceof Error ? error.message : "failed" };
  }
}

const strip = ({ value: _value, ...check }: Check & { value?: unknown }): Check => check;

const globalForReadiness = globalThis as unknown as { lanesReadinessRedis?: ReturnType<typeof createRedisClient> };

/** A Redis connection of its own: a readiness probe must not queue behind the cache's commands. */
function readinessRedis(url: string) {
  globalForReadiness.lanesReadinessRedis ??= createRedisClient(url, {
    commandTimeoutMs: READINESS_TIMEOUT_MS,
    name: "lanes-readiness",
  });
  return globalForReadiness.lanesReadinessRedis;
}

/**
 * Whether this instance should take traffic: the database answers and has every migration this
 * build expects. Redis is reported but optional (without it the app degrades, documented).
 */
export async function checkReadiness(
  db: Db,
  options: { expectedMigration?: string; timeoutMs?: number } = {},
): Promise<Readiness> {
  const expected = options.expectedMigration ?? LATEST_MIGRATION;
  const timeoutMs = options.timeoutMs ?? READINESS_TIMEOUT_MS;
  const redisUrl = env().REDIS_URL;
  const [database, migrations, redis, replicas] = await Promise.all([
    timed(() => db.$queryRaw`SELECT 1`, timeoutMs),
    timed(() => migrationState(db, expected), timeoutMs),
    redisUrl ? timed(() => readinessRedis(redisUrl).ping(), timeoutMs) : Promise.resolve(null),
    Promise.all(
      replicaClients().map(async ({ host, client }) => ({
        host,
        ...strip(await timed(() => client.$queryRaw`SELECT 1`, timeoutMs)),
      })),
    ),
  ]);
  const state = migrations.value;
  const migrationsCheck = {
    ok: migrations.ok && Boolean(state?.ok),
    latencyMs: migrations.latencyMs,
    latest: state?.latest ?? null,
    expected,
    ...(migrations.error
      ? { error: migrations.error }
      : state && !state.ok
        ? { error: state.unfinished ? "a migration is unfinished" : "migrations are behind this build" }
        : {}),
  };
  return {
    // Draining: SIGTERM arrived; the load balancer should stop sending new requests here.
    status: isDraining() ? "draining" : database.ok && migrationsCheck.ok ? "ready" : "not_ready",
    database: strip(database),
    migrations: migrationsCheck,
    redis: redis ? strip(redis) : null,
    replicas,
  };
}
