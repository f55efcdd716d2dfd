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
import { listenToChannels, type ChannelListener } from "@/server/db/listener";
import type { CacheStore } from "./store";

export const CACHE_CHANNEL = "lanes_cache";

export type InvalidationListener = ChannelListener;

export function listenForInvalidations(databaseUrl: string, store: CacheStore): InvalidationListener {
  return listenToChannels({
    databaseUrl,
    channels: [CACHE_CHANNEL],
    applicationName: "lanes-cache-listener",
    onNotification: (_channel, key) => void store.invalidate([key]),
    // Whatever changed while nobody listened is unknown: start this process's memory afresh.
    onReconnect: () => store.clear?.(),
  });
}
