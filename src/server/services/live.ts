/**
 * A workspace's live stream for one subscriber: what changed, in order, each event once, resumable
 * from the last event number the client saw (docs/decisions/0031-live-updates.md).
 *
 *   ready  (tracked)   the position the stream goes live from (after any replay)
 *   change (tracked)   one audit event: action and ids, never content (the client refetches)
 *   inbox              the subscriber's own notifications changed
 *   presence           someone opened or closed a task (who: ask presence.task)
 *   reset  (tracked)   too much was missed to replay: refetch everything shown
 *
 * The stream ends with NOT_FOUND when the subscriber is no longer a member, and with a retryable
 * 503 when this server stops (the client reconnects and resumes).
 */
import { AppError } from "@/server/errors";
import { latestEventSeq, listEventsAfter, type LiveEventRow } from "@/server/db/activity";
import { liveHub } from "@/server/live/instance";
import type { LiveEnd, LiveHub, Subscription } from "@/server/live/hub";
import { formatTaskRef } from "@/shared/tracker";
import { liveEventSchema, type LiveChange, type LiveEvent, type LivePosition } from "@/shared/schemas/live";
import type { WorkspaceContext } from "./context";

/** A client further behind than this gets `reset` instead of a replay. */
export const MAX_REPLAY = 1_000;
/** Undelivered items a slow client may have queued before it is sent `reset` instead. */
const MAX_QUEUED = 500;
const REPLAY_BATCH = 200;

/** What the router sends: the event, and its id when a client can resume after it. */
export type LiveMessage = { id: string | null; event: LiveEvent };

type Item =
  | { type: "events"; rows: LiveEventRow[] }
  | { type: "inbox" }
  | { type: "presence"; taskId: string }
  | { type: "overflow" }
  | { type: "end"; reason: LiveEnd | "aborted" };

function sameHint(a: Item, b: Item): boolean {
  if (a.type === "inbox" || a.type === "overflow") return a.type === b.type;
  return a.type === "presence" && b.type === "presence" && a.taskId === b.taskId;
}

/** What the hub hands this subscriber, waiting for the generator to take it. */
class Mailbox {
  private items: Item[] = [];
  private wake: (() => void) | null = null;

  push(item: Item): void {
    // A hint already waiting says the same: refetch.
    if (this.items.some((queued) => sameHint(queued, item))) return;
    if (this.items.length >= MAX_QUEUED && item.type !== "end") this.items = [{ type: "overflow" }];
    else this.items.push(item);
    this.wake?.();
  }

  async take(signal: AbortSignal | undefined): Promise<Item> {
    while (this.items.length === 0) {
      if (signal?.aborted) return { type: "end", reason: "aborted" };
      await new Promise<void>((resolve) => {
        const onAbort = () => resolve();
        this.wake = () => {
          signal?.removeEventListener("abort", onAbort);
          resolve();
        };
        signal?.addEventListener("abort", onAbort, { once: true });
      });
      this.wake = null;
    }
    return this.items.shift()!;
  }
}

export function toLiveChange(row: LiveEventRow): LiveChange {
  return {
    kind: "change",
    seq: String(row.seq),
    action: row.action,
    entityType: row.entityType,
    entityId: row.entityId,
    actorId: row.actorId,
    task:
      row.taskId && row.task
        ? { id: row.taskId, projectId: row.task.projectId, ref: formatTaskRef(row.task.project.key, row.task.number) }
        : null,
    commentId: row.commentId,
  };
}

/** Checked one by one: tRPC's `.output()` sees the stream, not what it yields. */
function message(id: string | null, event: LiveEvent): LiveMessage {
  return { id, event: liveEventSchema.parse(event) };
}

// The hub hands the same row objects to every subscriber of a workspace: each becomes a message once.
const changeMessages = new WeakMap<LiveEventRow, LiveMessage>();

function changeMessage(row: LiveEventRow): LiveMessage {
  let built = changeMessages.get(row);
  if (!built) {
    built = message(String(row.seq), toLiveChange(row));
    changeMessages.set(row, built);
  }
  return built;
}

function endError(reason: LiveEnd): AppError {
  return reason === "removed"
    ? AppError.notFound("Workspace")
    : new AppError("UNAVAILABLE", "This server is restarting; reconnect to continue", { retryAfterSeconds: 1 });
}

/**
 * The workspace's newest event number, read from the database (committed events only: the counter
 * row stays locked until the event's transaction ends). Data read after this call is at least as new.
 */
export async function streamPosition(ctx: WorkspaceContext): Promise<LivePosition> {
  return { seq: String(await latestEventSeq(ctx.db, ctx.workspace.id)) };
}

/** Waits (up to a second) until this process has delivered the workspace's events up to `seq`. */
async function caughtUp(subscription: Subscription, seq: bigint, signal: AbortSignal | undefined): Promise<void> {
  const deadline = Date.now() + 1_000;
  while (subscription.currentPosition() < seq && Date.now() < deadline && !signal?.aborted)
    await new Promise((resolve) => setTimeout(resolve, 25));
}

export async function* workspaceLiveEvents(
  ctx: WorkspaceContext,
  input: { lastEventId?: string | null },
  signal?: AbortSignal,
  hub: LiveHub = liveHub(),
): AsyncGenerator<LiveMessage, void> {
  const mailbox = new Mailbox();
  const subscription = await hub.subscribe({
    userId: ctx.userId,
    workspaceId: ctx.workspace.id,
    deliver: (rows) => mailbox.push({ type: "events", rows }),
    inboxChanged: () => mailbox.push({ type: "inbox" }),
    presenceChanged: (taskId) => mailbox.push({ type: "presence", taskId }),
    end: (reason) => mailbox.push({ type: "end", reason }),
  });
  try {
    let start = subscription.position;
    const resumeAfter = input.lastEventId == null ? null : BigInt(input.lastEventId);
    // Resuming from another instance that is a moment ahead: let this one catch up first.
    if (resumeAfter !== null && resumeAfter > start) {
      await caughtUp(subscription, resumeAfter, signal);
      start = subscription.currentPosition();
    }
    if (resumeAfter !== null && (resumeAfter > start || start - resumeAfter > MAX_REPLAY)) {
      // Ahead of the stream (a restored database) or too far behind: start afresh.
      yield message(String(start), { kind: "reset", seq: String(start) });
    } else if (resumeAfter !== null) {
      for (let after = resumeAfter; after < start;) {
        const rows = await listEventsAfter(ctx.db, ctx.workspace.id, after, REPLAY_BATCH);
        if (rows.length === 0) break;
        for (const row of rows) if (row.seq <= start) yield changeMessage(row);
        after = rows.at(-1)!.seq;
      }
    }
    // Tracked too: a client that reconnects before any change arrives still resumes from here.
    yield message(String(start), { kind: "ready", seq: String(start) });
    let cursor = start;
    for (;;) {
      const item = await mailbox.take(signal);
      if (item.type === "end") {
        if (item.reason === "aborted") return;
        throw endError(item.reason);
      }
      if (item.type === "inbox") yield message(null, { kind: "inbox" });
      else if (item.type === "presence") yield message(null, { kind: "presence", taskId: item.taskId });
      else if (item.type === "overflow") {
        cursor = subscription.currentPosition();
        ctx.log.warn({ seq: String(cursor) }, "live subscriber fell behind; sent a reset");
        yield message(String(cursor), { kind: "reset", seq: String(cursor) });
      } else {
        for (const row of item.rows) {
          if (row.seq <= cursor) continue;
          cursor = row.seq;
          yield changeMessage(row);
        }
      }
    }
  } finally {
    subscription.unsubscribe();
  }
}
