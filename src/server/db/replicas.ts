/**
 * Read replicas (DATABASE_REPLICA_URLS; docs/decisions/0044-read-replicas.md). Which client a call
 * reads with is decided per call, not per query:
 *
 *   query procedures           a replica — unless the caller wrote within DATABASE_REPLICA_STICKY_SECONDS
 *                              (read-your-writes), or no replica is healthy
 *   mutations, subscriptions   the primary
 *   who the caller is, and     the primary, always: the request cache is filled from what these read,
 *   what they may do           and a lagging replica would put a revoked role back in it
 *
 * A replica that fails to serve (unreachable, cancelled) is skipped for a while (a circuit breaker per
 * replica) and the call runs again on the primary, so a dead replica costs at most one retried call.
 *
 * The calls of one request (a server render's prefetches, an HTTP batch) share a ReadPin: the first
 * decision holds for the rest, and only ever moves to the primary. Replicas replay at their own pace;
 * reads spread over two of them could see the live stream's position on one and older data on the
 * other (docs/decisions/0050-one-read-source-per-request.md).
 */
import type { Redis as IORedis } from "ioredis";
import { createDb, type Db } from "./client";
import { classifyDatabaseError } from "./errors";
import { env } from "@/server/env";
import { createRedisClient } from "@/server/redis";
import { CircuitBreaker, CircuitOpenError } from "@/server/http/circuit-breaker";
import { logger } from "@/server/observability/logger";

/** A replica that failed is left alone this long, then tried with one call. */
const REPLICA_RETRY_MS = 5_000;
const STICKY_PREFIX = "lanes:ryw:";
const STICKY_COMMAND_TIMEOUT_MS = 500;

type Replica = { client: Db; breaker: CircuitBreaker; host: string };
type ReplicaState = { replicas: Replica[]; next: number; sticky: StickyWrites };

/** Where "this person just wrote" is remembered: Redis (every instance sees it) or this process. */
interface StickyWrites {
  mark(userId: string, seconds: number): Promise<void>;
  recent(userId: string): Promise<boolean>;
}

class MemorySticky implements StickyWrites {
  private readonly until = new Map<string, number>();

  mark(userId: string, seconds: number): Promise<void> {
    this.until.set(userId, Date.now() + seconds * 1_000);
    if (this.until.size > 10_000) this.sweep();
    return Promise.resolve();
  }

  recent(userId: string): Promise<boolean> {
    return Promise.resolve((this.until.get(userId) ?? 0) > Date.now());
  }

  private sweep(): void {
    const now = Date.now();
    for (const [userId, until] of this.until) if (until <= now) this.until.delete(userId);
  }
}

class RedisSticky implements StickyWrites {
  constructor(private readonly redis: IORedis) {}

  async mark(userId: string, seconds: number): Promise<void> {
    await this.redis.set(STICKY_PREFIX + userId, "1", "EX", seconds);
  }

  async recent(userId: string): Promise<boolean> {
    return (await this.redis.exists(STICKY_PREFIX + userId)) === 1;
  }
}

const globalForReplicas = globalThis as unknown as { lanesReplicas?: ReplicaState | null };

function hostOf(url: string): string {
  const { hostname, port } = new URL(url);
  return port ? `${hostname}:${port}` : hostname;
}

/** The process's replicas (null when none are configured); on globalThis, like the primary's client. */
function replicaState(): ReplicaState | null {
  if (globalForReplicas.lanesReplicas !== undefined) return globalForReplicas.lanesReplicas;
  const config = env();
  if (config.DATABASE_REPLICA_URLS.length === 0) return (globalForReplicas.lanesReplicas = null);
  const limits = {
    statementTimeoutMs: config.DATABASE_STATEMENT_TIMEOUT_MS,
    poolTimeoutMs: config.DATABASE_POOL_TIMEOUT_MS,
  };
  const replicas = config.DATABASE_REPLICA_URLS.map((url): Replica => {
    const host = hostOf(url);
    return {
      client: createDb(url, config.DATABASE_POOL_SIZE, limits),
      host,
      breaker: new CircuitBreaker(`replica ${host}`, {
        threshold: 1,
        openMs: REPLICA_RETRY_MS,
        onOpen: (error) => logger.warn({ err: error, replica: host }, "read replica failing; reading from the primary"),
      }),
    };
  });
  const sticky = config.REDIS_URL
    ? new RedisSticky(
        createRedisClient(config.REDIS_URL, { commandTimeoutMs: STICKY_COMMAND_TIMEOUT_MS, name: "lanes-ryw" }),
      )
    : new MemorySticky();
  return (globalForReplicas.lanesReplicas = { replicas, next: 0, sticky });
}

/**
 * Where one request's reads come from, decided by its first read: a replica, or the primary (null).
 * Later reads follow it; after a write, or once the replica fails, they move to the primary, which is
 * never behind anything read before.
 */
export type ReadPin = { choice?: Promise<Replica | null> };

export function newReadPin(): ReadPin {
  return {};
}

/** Every later read of this request goes to the primary (it wrote, or its replica failed). */
export function pinToPrimary(pin: ReadPin): void {
  pin.choice = Promise.resolve(null);
}

/** The replica a request without a pinned choice should read from, or null for the primary. */
async function chooseReplica(state: ReplicaState, userId: string): Promise<Replica | null> {
  if (await wroteRecently(state, userId)) return null;
  return pickReplica(state);
}

/** The next replica in turn whose breaker lets calls through, or null. */
function pickReplica(state: ReplicaState): Replica | null {
  for (let i = 0; i < state.replicas.length; i++) {
    const replica = state.replicas[(state.next + i) % state.replicas.length];
    if (replica && replica.breaker.state !== "open") {
      state.next = (state.next + i + 1) % state.replicas.length;
      return replica;
    }
  }
  return null;
}

/** Whether this person wrote recently; when the store cannot say, yes (the primary is never stale). */
async function wroteRecently(state: ReplicaState, userId: string): Promise<boolean> {
  try {
    return await state.sticky.recent(userId);
  } catch (error) {
    logger.warn({ err: error }, "read-your-writes store unavailable; reading from the primary");
    return true;
  }
}

/** The replica could not serve (unreachable, cancelled): says nothing about the call itself. */
class ReplicaFailed extends Error {
  override readonly name = "ReplicaFailed";
}

type Settled<R> = { ok: true; result: R } | { ok: false; error: unknown };

/**
 * Runs a read-only call on a replica when one should serve it, else on `primary`. A call that fails
 * because the replica cannot serve — thrown, or in its result (`failureOf` finds the error in it) — runs
 * again on the primary, and that replica is skipped for a while. Calls must not write.
 */
export async function readFromReplica<R>(
  primary: Db,
  userId: string,
  call: (db: Db) => Promise<R>,
  failureOf: (result: R) => unknown,
  pin: ReadPin = newReadPin(),
): Promise<R> {
  const state = replicaState();
  if (!state) return call(primary);
  // Set before the first await, so calls running side by side share one decision.
  pin.choice ??= chooseReplica(state, userId);
  const replica = await pin.choice;
  if (!replica) return call(primary);
  if (replica.breaker.state === "open") {
    pinToPrimary(pin);
    return call(primary);
  }
  let settled: Settled<R>;
  try {
    // Only the replica failing reaches the breaker; the call's own errors pass through it as values.
    settled = await replica.breaker.run(async (): Promise<Settled<R>> => {
      let outcome: Settled<R>;
      try {
        outcome = { ok: true, result: await call(replica.client) };
      } catch (error) {
        outcome = { ok: false, error };
      }
      const failure = outcome.ok ? failureOf(outcome.result) : outcome.error;
      if (failure && classifyDatabaseError(failure) === "unavailable")
        throw new ReplicaFailed(`replica ${replica.host} could not serve`, { cause: failure });
      return outcome;
    });
  } catch (error) {
    if (error instanceof ReplicaFailed || error instanceof CircuitOpenError) {
      pinToPrimary(pin);
      return call(primary);
    }
    throw error;
  }
  if (!settled.ok) throw settled.error;
  return settled.result;
}

/** Remembers that this person wrote: their reads stay on the primary for the sticky window. */
export async function noteWrite(userId: string): Promise<void> {
  const state = replicaState();
  if (!state) return;
  try {
    await state.sticky.mark(userId, env().DATABASE_REPLICA_STICKY_SECONDS);
  } catch (error) {
    // Without the mark, this person may read their write late by the replicas' lag: logged, not fatal.
    logger.warn({ err: error }, "read-your-writes store unavailable; a write may show late on replicas");
  }
}

/** Whether `db` is one of the replicas' clients (their reads may lag: never fill the request cache from them). */
export function isReplica(db: unknown): boolean {
  return replicaState()?.replicas.some((replica) => replica.client === db) ?? false;
}

/** The replicas' clients with their hosts, for readiness and the pool gauges. */
export function replicaClients(): Array<{ host: string; client: Db }> {
  return replicaState()?.replicas.map(({ host, client }) => ({ host, client })) ?? [];
}

/** Closes the replicas' pools (shutdown). */
export async function closeReplicas(): Promise<void> {
  const state = globalForReplicas.lanesReplicas;
  globalForReplicas.lanesReplicas = undefined;
  await Promise.all(state?.replicas.map((replica) => replica.client.$disconnect()) ?? []);
}
