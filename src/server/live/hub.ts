/**
 * The process's live hub: one LISTEN connection fans every workspace's new events out to the
 * subscriptions this process serves (docs/decisions/0031-live-updates.md).
 *
 * PostgreSQL announces each committed event as "<workspaceId>:<seq>" (lanes_events) and each inbox
 * change as "<userId>:<workspaceId>" (lanes_inbox; "<userId>:*" when their invitations changed); the triggers are in the migration
 * 20261205120000_live_event_stream. The presence service announces "<workspaceId>:<taskId>" when
 * someone opens or closes a task (lanes_presence). Every instance listens, so a change made through any instance
 * (or a worker) reaches subscribers on all of them. Per workspace with subscribers here, the hub
 * keeps the last event number it delivered and reads what follows from the table — once per batch
 * for all its subscribers — so a subscriber sees every event, in order, once.
 *
 * Before delivering a batch it asks `authorize` which of the subscribers are still members: someone
 * removed stops receiving with the very event that removed them.
 */
import { withDeadline } from "@/server/deadline";
import type { DbTx } from "@/server/db/client";
import { latestEventSeq, listEventsAfter, type LiveEventRow } from "@/server/db/activity";
import { listenToChannels, type ChannelListener, type ListenOptions } from "@/server/db/listener";
import { PRESENCE_CHANNEL } from "@/server/db/presence";
import { logger } from "@/server/observability/logger";
import { AppError } from "@/server/errors";

export const EVENTS_CHANNEL = "lanes_events";
export const INBOX_CHANNEL = "lanes_inbox";
export { PRESENCE_CHANNEL };
/** Events read per query while catching up. */
const BATCH = 200;
/** After a failed read (database busy or down), the next try. */
const RETRY_MS = 1_000;
/** How long a new subscription waits for the hub to listen and read the stream's position. */
const READY_TIMEOUT_MS = 5_000;

function unavailable(): AppError {
  return new AppError("UNAVAILABLE", "Live updates are not available right now; try again", { retryAfterSeconds: 2 });
}

export type LiveEnd = "removed" | "shutdown";

export type LiveSubscriber = {
  userId: string;
  workspaceId: string;
  /** A batch of the workspace's events, in order, each after the previous batch's. */
  deliver(events: LiveEventRow[]): void;
  /** The person's notifications in this workspace changed. */
  inboxChanged(): void;
  /** Someone opened or closed this task of the workspace. */
  presenceChanged(taskId: string): void;
  /** No more events: the person left the workspace, or this process is stopping. */
  end(reason: LiveEnd): void;
};

export type Subscription = {
  /** Events up to this number were delivered before the subscription existed (read them from the table). */
  position: bigint;
  /** The workspace's delivered position now. */
  currentPosition(): bigint;
  unsubscribe(): void;
};

/** Which of `userIds` may still see the workspace's events. */
export type Authorize = (workspaceId: string, userIds: string[]) => Promise<Set<string>>;

type Feed = {
  workspaceId: string;
  /** Last event delivered to this feed's subscribers. */
  position: bigint;
  /** Highest event number announced. */
  target: bigint;
  subscribers: Set<LiveSubscriber>;
  ready: Promise<void>;
  pumping: boolean;
  retry: NodeJS.Timeout | null;
};

type Listen = (options: Pick<ListenOptions, "onNotification" | "onReconnect">) => ChannelListener;

export class LiveHub {
  private readonly feeds = new Map<string, Feed>();
  private listener: ChannelListener | null = null;
  private closed = false;
  private readonly log = logger.child({ component: "live-hub" });

  constructor(
    private readonly db: DbTx,
    private readonly authorize: Authorize,
    private readonly listen: Listen,
  ) {}

  get subscriberCount(): number {
    let count = 0;
    for (const feed of this.feeds.values()) count += feed.subscribers.size;
    return count;
  }

  async subscribe(subscriber: LiveSubscriber): Promise<Subscription> {
    if (this.closed) throw unavailable();
    const feed = this.feedFor(subscriber.workspaceId);
    feed.subscribers.add(subscriber);
    const unsubscribe = () => this.remove(feed, subscriber);
    try {
      // The LISTEN connection may be down (database restarting): answer 503 rather than hang.
      await withDeadline(feed.ready, READY_TIMEOUT_MS, unavailable);
    } catch (error) {
      unsubscribe();
      throw error;
    }
    // Read synchronously with joining the set: every later event reaches this subscriber by deliver().
    return { position: feed.position, currentPosition: () => feed.position, unsubscribe };
  }

  /** Ends every subscription (they reconnect elsewhere) and stops listening. */
  async close(): Promise<void> {
    this.closed = true;
    for (const feed of this.feeds.values()) {
      if (feed.retry) clearTimeout(feed.retry);
      for (const subscriber of feed.subscribers) subscriber.end("shutdown");
    }
    this.feeds.clear();
    await this.listener?.stop();
    this.listener = null;
  }

  private ensureListening(): ChannelListener {
    this.listener ??= this.listen({
      onNotification: (channel, payload) => this.onNotification(channel, payload),
      onReconnect: () => this.catchUpAll(),
    });
    return this.listener;
  }

  private feedFor(workspaceId: string): Feed {
    const existing = this.feeds.get(workspaceId);
    if (existing) return existing;
    const listener = this.ensureListening();
    const feed: Feed = {
      workspaceId,
      position: 0n,
      target: 0n,
      subscribers: new Set(),
      pumping: false,
      retry: null,
      ready: Promise.resolve(),
    };
    // Listening first, then reading the newest number: an event committed in between is announced.
    feed.ready = listener.ready
      .then(() => latestEventSeq(this.db, workspaceId))
      .then((latest) => {
        feed.position = latest;
        if (latest > feed.target) feed.target = latest;
        void this.pump(feed);
      });
    feed.ready.catch(() => {
      if (this.feeds.get(workspaceId) === feed) this.feeds.delete(workspaceId);
    });
    this.feeds.set(workspaceId, feed);
    return feed;
  }

  private remove(feed: Feed, subscriber: LiveSubscriber): void {
    feed.subscribers.delete(subscriber);
    if (feed.subscribers.size === 0 && this.feeds.get(feed.workspaceId) === feed) {
      if (feed.retry) clearTimeout(feed.retry);
      this.feeds.delete(feed.workspaceId);
    }
  }

  private onNotification(channel: string, payload: string): void {
    const [first, second] = splitPayload(payload);
    if (channel === EVENTS_CHANNEL) {
      const feed = this.feeds.get(first);
      const seq = parseSeq(second);
      if (!feed || seq === null) return;
      if (seq > feed.target) feed.target = seq;
      void this.pump(feed);
    } else if (channel === INBOX_CHANNEL) {
      // "<userId>:*": about the person wherever they are (an invitation to a workspace they are not in).
      const feeds = second === "*" ? [...this.feeds.values()] : [this.feeds.get(second)];
      for (const feed of feeds)
        for (const subscriber of feed?.subscribers ?? []) if (subscriber.userId === first) subscriber.inboxChanged();
    } else if (channel === PRESENCE_CHANNEL) {
      const feed = this.feeds.get(first);
      if (!feed || !second) return;
      for (const subscriber of feed.subscribers) subscriber.presenceChanged(second);
    }
  }

  /** After the LISTEN connection was lost: whatever was announced meanwhile is read from the table. */
  private catchUpAll(): void {
    for (const feed of this.feeds.values()) {
      for (const subscriber of feed.subscribers) subscriber.inboxChanged();
      void latestEventSeq(this.db, feed.workspaceId)
        .then((latest) => {
          if (latest > feed.target) feed.target = latest;
          void this.pump(feed);
        })
        .catch((error: unknown) => this.log.warn({ err: error }, "live catch-up failed; waiting for the next event"));
    }
  }

  /** Delivers the feed's events up to its target, one read per batch whatever the number of subscribers. */
  private async pump(feed: Feed): Promise<void> {
    // A feed that was dropped (its last subscriber left, or it never got ready) is not pumped again.
    if (feed.pumping || this.feeds.get(feed.workspaceId) !== feed) return;
    feed.pumping = true;
    try {
      await feed.ready;
      while (feed.target > feed.position && feed.subscribers.size > 0 && this.feeds.get(feed.workspaceId) === feed) {
        const rows = await listEventsAfter(this.db, feed.workspaceId, feed.position, BATCH);
        if (rows.length === 0) {
          // Announced but not there (purged since): nothing to wait for.
          feed.target = feed.position;
          break;
        }
        const checked = new Set([...feed.subscribers].map((s) => s.userId));
        const allowed = await this.authorize(feed.workspaceId, [...checked]);
        feed.position = rows.at(-1)!.seq;
        for (const subscriber of [...feed.subscribers]) {
          // Someone who joined during the check was authorized when they subscribed, a moment ago.
          if (checked.has(subscriber.userId) && !allowed.has(subscriber.userId)) {
            this.remove(feed, subscriber);
            subscriber.end("removed");
          } else subscriber.deliver(rows);
        }
      }
    } catch (error) {
      this.log.warn({ err: error, workspaceId: feed.workspaceId }, "live events could not be read; retrying");
      if (!feed.retry && !this.closed && this.feeds.get(feed.workspaceId) === feed)
        feed.retry = setTimeout(() => {
          feed.retry = null;
          void this.pump(feed);
        }, RETRY_MS);
    } finally {
      feed.pumping = false;
    }
    // An announcement that arrived during the last read, after the loop's check.
    if (!feed.retry && feed.target > feed.position && feed.subscribers.size > 0 && !this.closed) void this.pump(feed);
  }
}

function splitPayload(payload: string): [string, string] {
  const at = payload.lastIndexOf(":");
  return at < 0 ? [payload, ""] : [payload.slice(0, at), payload.slice(at + 1)];
}

function parseSeq(text: string): bigint | null {
  return /^\d{1,19}$/.test(text) ? BigInt(text) : null;
}

/** A hub listening on `databaseUrl` with its own connection. */
export function createLiveHub(db: DbTx, databaseUrl: string, authorize: Authorize): LiveHub {
  return new LiveHub(db, authorize, (handlers) =>
    listenToChannels({
      databaseUrl,
      channels: [EVENTS_CHANNEL, INBOX_CHANNEL, PRESENCE_CHANNEL],
      applicationName: "lanes-live",
      ...handlers,
    }),
  );
}
