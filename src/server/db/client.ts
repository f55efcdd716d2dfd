/**
 * The one Prisma client. Runtime queries go through @prisma/adapter-pg (no Rust
 * engine at run time). Data access lives in this folder; services never build
 * queries against tables they do not own through these modules.
 */
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/client";
import { env } from "@/server/env";

export type Db = PrismaClient;
/** A client or an interactive transaction; data functions accept either. */
export type DbTx = Omit<PrismaClient, "$connect" | "$disconnect" | "$on" | "$transaction" | "$extends">;

export function createDb(url: string, poolSize: number): PrismaClient {
  const adapter = new PrismaPg({
    connectionString: url,
    max: poolSize,
    // Idle connections are closed so a stopped dev database does not leave the pool wedged.
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: 10_000,
  });
  return new PrismaClient({ adapter });
}

// One client per process; survives Next's dev-mode module reloads.
const globalForDb = globalThis as unknown as { lanesDb?: PrismaClient };

export function db(): PrismaClient {
  if (!globalForDb.lanesDb) {
    const config = env();
    globalForDb.lanesDb = createDb(config.DATABASE_URL, config.DATABASE_POOL_SIZE);
  }
  return globalForDb.lanesDb;
}

/** Makes `db()` return this client (tests and scripts that manage their own connection). */
export function useDb(client: PrismaClient): void {
  globalForDb.lanesDb = client;
}
