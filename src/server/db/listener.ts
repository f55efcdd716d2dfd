/**
 * LISTEN on PostgreSQL channels from one dedicated connection per use (LISTEN needs a session of
 * its own; a pooled connection would lose it), reconnecting with backoff. Notifications sent while
 * the connection was down are lost: `onReconnect` tells the owner to catch up from the tables.
 */
import pg from "pg";
import { logger } from "@/server/observability/logger";

const RECONNECT_MIN_MS = 500;
const RECONNECT_MAX_MS = 30_000;
/** A connection dropped without a word (a NAT, a proxy) is noticed by this query within this interval. */
const HEALTH_CHECK_MS = 30_000;

export type ChannelListener = {
  /** Resolves once the first LISTEN is in place. */
  ready: Promise<void>;
  stop: () => Promise<void>;
};

export type ListenOptions = {
  databaseUrl: string;
  channels: readonly string[];
  /** Shown in pg_stat_activity. */
  applicationName: string;
  onNotification: (channel: string, payload: string) => void;
  /** Called after a lost connection is back (not on the first connect). */
  onReconnect?: () => void;
};

export function listenToChannels(options: ListenOptions): ChannelListener {
  let client: pg.Client | null = null;
  let stopped = false;
  let connectedBefore = false;
  let delay = RECONNECT_MIN_MS;
  let timer: NodeJS.Timeout | null = null;
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  const log = logger.child({ listener: options.applicationName });

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
      connectionString: options.databaseUrl,
      application_name: options.applicationName,
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
    });
    next.on("notification", (message) => {
      if (message.payload) options.onNotification(message.channel, message.payload);
    });
    next.on("error", (error) => {
      log.warn({ err: error }, "LISTEN connection lost; reconnecting");
      void next.end().catch(() => {});
      if (client === next) client = null;
      scheduleReconnect();
    });
    try {
      await next.connect();
      for (const channel of options.channels) await next.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
    } catch (error) {
      log.warn({ err: error }, "LISTEN connection could not be made; retrying");
      await next.end().catch(() => {});
      scheduleReconnect();
      return;
    }
    if (stopped) {
      await next.end();
      return;
    }
    client = next;
    delay = RECONNECT_MIN_MS;
    const check = setInterval(() => {
      if (client !== next) return clearInterval(check);
      next.query("SELECT 1").catch((error: unknown) => next.emit("error", error));
    }, HEALTH_CHECK_MS);
    check.unref();
    if (connectedBefore) options.onReconnect?.();
    connectedBefore = true;
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
