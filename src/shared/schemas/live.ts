/**
 * What a live subscription sends (`live.workspace`). Events say what changed, not what it now is:
 * the client refetches what it shows, through the same procedures and checks as any read.
 */
import { z } from "zod";
import { inWorkspace } from "./common";

/** A position in the workspace's event stream: the tracked event id a reconnecting client sends back. */
export const eventSeqSchema = z.string().regex(/^\d{1,19}$/, "An event number");

/** `live.position`: nothing but the workspace. */
export const livePositionInput = inWorkspace({});

/**
 * The stream's position now. A page that reads it before loading its data and then subscribes with
 * it as `lastEventId` misses no change made in between (the server replays them).
 */
export const livePositionSchema = z.object({ seq: eventSeqSchema });
export type LivePosition = z.infer<typeof livePositionSchema>;

export const liveInput = inWorkspace({
  /** Resume after this event (the client's EventSource sends it back when it reconnects). */
  lastEventId: eventSeqSchema.nullish(),
});

export const liveChangeSchema = z.object({
  kind: z.literal("change"),
  seq: eventSeqSchema,
  /** The audit action, e.g. `task.updated`, `comment.created`, `member.removed`. */
  action: z.string(),
  entityType: z.string(),
  entityId: z.string(),
  actorId: z.string().nullable(),
  task: z.object({ id: z.string(), projectId: z.string(), ref: z.string() }).nullable(),
  commentId: z.string().nullable(),
});
export type LiveChange = z.infer<typeof liveChangeSchema>;

export const liveEventSchema = z.discriminatedUnion("kind", [
  /** First on every connection: the stream position it starts from. */
  z.object({ kind: z.literal("ready"), seq: eventSeqSchema }),
  liveChangeSchema,
  /** The caller's own notifications in this workspace changed. */
  z.object({ kind: z.literal("inbox") }),
  /** Someone opened or closed this task: who has it open is `presence.task`. */
  z.object({ kind: z.literal("presence"), taskId: z.string() }),
  /** Too much was missed to replay: refetch everything shown. */
  z.object({ kind: z.literal("reset"), seq: eventSeqSchema }),
]);
export type LiveEvent = z.infer<typeof liveEventSchema>;
