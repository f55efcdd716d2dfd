/**
 * Domain events as other programs receive them (webhooks; docs/webhooks.md): one per audit event,
 * with the same privacy rules — ids and the changed fields the audit trail keeps, never comment text,
 * descriptions or a removed member's email. Exported for consumers to validate what they receive.
 */
import { z } from "zod";

/** Every event type, as the audit trail names its actions (src/server/services/audit.ts is checked against it). */
export const EVENT_TYPES = [
  "task.created",
  "task.updated",
  "task.reordered",
  "task.deleted",
  "comment.created",
  "comment.edited",
  "comment.deleted",
  "project.created",
  "project.updated",
  "project.archived",
  "project.unarchived",
  "label.created",
  "label.updated",
  "label.deleted",
  "member.joined",
  "member.role_changed",
  "member.removed",
  "member.left",
  "invitation.created",
  "invitation.revoked",
  "workspace.created",
  "workspace.renamed",
  "api_key.created",
  "api_key.revoked",
  "webhook.created",
  "webhook.updated",
  "webhook.secret_rotated",
  "webhook.deleted",
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export const domainEventSchema = z.object({
  /** The event's type: the audit action. */
  type: z.enum(EVENT_TYPES),
  /** When the change was made (ISO 8601). */
  timestamp: z.iso.datetime(),
  data: z.object({
    /** Stable across retries and replays: deduplicate by it. */
    eventId: z.string(),
    /** Position in the workspace's event stream (1, 2, 3…, in commit order). */
    seq: z.string().regex(/^\d+$/),
    workspace: z.object({ id: z.string(), slug: z.string() }),
    /** Who made the change (null: Lanes itself); `apiKeyId` when they used an API key. */
    actor: z.object({ id: z.string(), apiKeyId: z.string().nullable() }).nullable(),
    entity: z.object({ type: z.string(), id: z.string() }),
    task: z.object({ id: z.string(), ref: z.string(), projectId: z.string() }).nullable(),
    commentId: z.string().nullable(),
    /** The changed fields before and after (null on create / delete), as the audit trail keeps them. */
    before: z.record(z.string(), z.unknown()).nullable(),
    after: z.record(z.string(), z.unknown()).nullable(),
  }),
});
export type DomainEvent = z.infer<typeof domainEventSchema>;
