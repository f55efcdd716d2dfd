/**
 * The one Prisma client. Runtime queries go through @prisma/adapter-pg (no Rust
 * engine at run time). Data access lives in this folder; services never build
 * queries against tables they do not own through these modules.
 */
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "./generated/client";
import { env } from "@/server/env";

export type Db = PrismaClient;
/** A client or an interactive transaction; data functions accept either. */
export type DbTx = Omit<PrismaClient, "$connect" | "$disconnect" | "$on" | "$transaction" | "$extends">;

/** How long anything may wait or run; a request never hangs on a busy database (503 + Retry-After instead). */
export type DbLimits = {
  /** A statement running longer is cancelled by PostgreSQL (statement_timeout). */
  statementTimeoutMs: number;
  /** Waiting for a free pool connection, or to start a transaction, fails after this. */
  poolTimeoutMs: number;
};

export const DEFAULT_DB_LIMITS: DbLimits = { statementTimeoutMs: 10_000, poolTimeoutMs: 5_000 };

/**
 * Each client's connection pool, for the pool gauges (src/server/observability/metrics-endpoint.ts).
 * On globalThis: the custom server and Next's bundle each load this module.
 */
const globalForPools = globalThis as unknown as { lanesPools?: WeakMap<PrismaClient, pg.Pool> };
const pools = (globalForPools.lanesPools ??= new WeakMap<PrismaClient, pg.Pool>());

export function poolOf(client: PrismaClient): pg.Pool | undefined {
  return pools.get(client);
}

export function createDb(url: string, poolSize: number, limits: DbLimits = DEFAULT_DB_LIMITS): PrismaClient {
  // The pool is made here, not by the adapter, so its in-use and waiting counts can be observed.
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    // Idle connections are closed so a stopped dev database does not leave the pool wedged.
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: limits.poolTimeoutMs,
    statement_timeout: limits.statementTimeoutMs,
    // A row lock held by a stuck transaction fails the waiter instead of queueing it forever.
    lock_timeout: limits.statementTimeoutMs,
    // A transaction left open by a crashed request is ended by the server.
    idle_in_transaction_session_timeout: Math.max(30_000, limits.statementTimeoutMs * 3),
    // Lanes runs short OLTP statements; JIT compilation only ever added latency to them (search
    // plans measured seconds slower with it at 1M tasks). Behind PgBouncer, allow it with
    // ignore_startup_parameters = options.
    options: "-c jit=off",
  });
  const client = new PrismaClient({
    // The client's $disconnect ends the pool.
    adapter: new PrismaPg(pool, { disposeExternalPool: true }),
    // maxWait: queueing for a connection to start a transaction; timeout: its whole life.
    transactionOptions: { maxWait: limits.poolTimeoutMs, timeout: limits.statementTimeoutMs * 2 },
  });
  pools.set(client, pool);
  return client;
}

// One client per process; survives Next's dev-mode module reloads.
const globalForDb = globalThis as unknown as { lanesDb?: PrismaClient };

export function db(): PrismaClient {
  if (!globalForDb.lanesDb) {
    const config = env();
    globalForDb.lanesDb = createDb(config.DATABASE_URL, config.DATABASE_POOL_SIZE, {
      statementTimeoutMs: config.DATABASE_STATEMENT_TIMEOUT_MS,
      poolTimeoutMs: config.DATABASE_POOL_TIMEOUT_MS,
    });
  }
  return globalForDb.lanesDb;
}

/** Makes `db()` return this client (tests and scripts that manage their own connection). */
export function useDb(client: PrismaClient): void {
  globalForDb.lanesDb = client;
}

/** Closes the process's client and its pool, if one was made (shutdown). */
export async function closeDb(): Promise<void> {
  const client = globalForDb.lanesDb;
  globalForDb.lanesDb = undefined;
  await client?.$disconnect();
}
