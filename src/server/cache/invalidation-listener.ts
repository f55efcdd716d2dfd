/**
 * Ends cache entries when PostgreSQL announces a change to what they hold (LISTEN lanes_cache; the
 * triggers are in prisma/migrations/20261205100000_cache_invalidation). This catches what a service's
 * own invalidation cannot: changes made in Prisma Studio or SQL, and — with the per-process memory
 * cache of the embedded default — changes made by another Lanes process on the same database.
 *
 * One dedicated connection per process (LISTEN needs a session of its own; a pooled connection
 * would lose it). If that connection drops, notifications sent meanwhile are lost: the memory cache
 * is then emptied, and Redis entries end by TTL at the latest (the services that change roles, keys
 * and workspaces also invalidate directly, so only out-of-band changes can wait that long).
 */
import pg from "pg";
import { logger } from "@/server/observability/logger";
import type { CacheStore } from "./store";

export const CACHE_CHANNEL = "lanes_cache";
const RECONNECT_MIN_MS = 500;
const RECONNECT_MAX_MS = 30_000;

export type InvalidationListener = { ready: Promise<void>; stop: () => Promise<void> };

export function listenForInvalidations(databaseUrl: string, store: CacheStore): InvalidationListener {
  let client: pg.Client | null = null;
  let stopped = false;
  let delay = RECONNECT_MIN_MS;
  let timer: NodeJS.Timeout | null = null;
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => (markReady = resolve));

  const scheduleReconnect = () => {
    if (stopped || timer) return;
    timer = setTimeout(() => {
      timer = null;
      void connect();
    }, delay);
    timer.unref();
    delay = Math.min(delay * 2, RECONNECT_MAX_MS);
  };

  const connect = async () => {
    // keepAlive: a connection silently dropped by a NAT or proxy must end in an error we can act on.
    const next = new pg.Client({
      connectionString: databaseUrl,
      application_name: "lanes-cache-listener",
      keepAlive: true,
    });
    next.on("notification", (message) => {
      if (message.channel === CACHE_CHANNEL && message.payload) void store.invalidate([message.payload]);
    });
    next.on("error", (error) => {
      logger.warn({ err: error }, "cache invalidation listener lost its connection; reconnecting");
      void next.end().catch(() => {});
      if (client === next) client = null;
      scheduleReconnect();
    });
    try {
      await next.connect();
      await next.query(`LISTEN ${CACHE_CHANNEL}`);
    } catch (error) {
      logger.warn({ err: error }, "cache invalidation listener could not connect; retrying");
      await next.end().catch(() => {});
      scheduleReconnect();
      return;
    }
    if (stopped) {
      await next.end();
      return;
    }
    // Whatever changed while nobody listened is unknown: start this process's memory afresh.
    if (store.kind === "memory" && client === null && delay > RECONNECT_MIN_MS) store.clear?.();
    client = next;
    delay = RECONNECT_MIN_MS;
    markReady();
  };

  void connect();
  return {
    ready,
    stop: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      await client?.end().catch(() => {});
      client = null;
    },
  };
}
