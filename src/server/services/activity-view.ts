/**
 * Stored audit events → what a reader of a given role may see.
 *
 * Every stored payload is parsed by the reader schema of its action: unknown keys
 * (the comment bodies, descriptions and emails older events stored) are dropped,
 * legacy values are normalized, and an unreadable payload becomes null instead of
 * failing the page. Then the reader's role decides what is redacted:
 * - an invitee's email needs `invitation.read`;
 * - a deleted task's title needs `task.delete`: the people who may delete tasks
 *   are the ones who need to see what was deleted (there is no undelete, so they
 *   may have to recreate it); viewers lose it as they lose the task itself;
 * - comment text is never stored; a comment event shows the live comment's
 *   excerpt, and nothing once the comment (or its task) is deleted.
 */
import { z } from "zod";
import type { ActivityRow } from "@/server/db/activity";
import { can, type Role } from "@/shared/roles";
import { formatTaskRef } from "@/shared/tracker";
import {
  activitySchema,
  apiKeyCreationSchema,
  apiKeyFieldsSchema,
  webhookChangeSchema,
  webhookFieldsSchema,
  commentRemovalSchema,
  invitationFieldsSchema,
  labelFieldsSchema,
  memberFieldsSchema,
  memberJoinSchema,
  mentionsSchema,
  positionSchema,
  projectArchiveSchema,
  projectChangeSchema,
  projectKeyNameSchema,
  taskChangeSchema,
  taskRemovalSchema,
  taskSnapshotSchema,
  workspaceFieldsSchema,
  workspaceNameSchema,
  type ActivityAction,
  type ActivityComment,
  type ActivityDto,
  type ActivityOf,
  type ActivityTask,
} from "@/shared/schemas/activity";

/** What the reader's role allows beyond the feed itself. */
export type ActivityViewer = {
  seesInvitationEmails: boolean;
  seesDeletedTaskTitles: boolean;
  seesWebhookTargets: boolean;
};

export function activityViewer(role: Role): ActivityViewer {
  return {
    seesInvitationEmails: can(role, "invitation.read"),
    seesDeletedTaskTitles: can(role, "task.delete"),
    seesWebhookTargets: can(role, "webhook.read"),
  };
}

export const COMMENT_EXCERPT_LENGTH = 200;

/** Older events stored descriptions as text; readers only ever get the length. */
function legacyTextToSize(value: unknown): unknown {
  if (!value || typeof value !== "object" || Array.isArray(value)) return value;
  const record = value as Record<string, unknown>;
  return typeof record.description === "string"
    ? { ...record, description: { length: Array.from(record.description).length } }
    : record;
}

/** Parses a stored payload, or null when it is absent or unreadable. */
function stored<S extends z.ZodType>(schema: S) {
  return z.preprocess(legacyTextToSize, schema.nullable()).catch(null);
}
const nothing = z.unknown().transform(() => null);

type Side = "before" | "after";
type PayloadReaders = { [A in ActivityAction]: { [K in Side]: z.ZodType<ActivityOf<A>[K]> } };

/** For each action, how its stored `before` and `after` are read. */
const READERS = {
  "task.created": { before: nothing, after: stored(taskSnapshotSchema) },
  "task.updated": { before: stored(taskChangeSchema), after: stored(taskChangeSchema) },
  "task.reordered": { before: stored(positionSchema), after: stored(positionSchema) },
  "task.deleted": { before: stored(taskRemovalSchema), after: nothing },
  "comment.created": { before: nothing, after: stored(mentionsSchema) },
  "comment.edited": { before: nothing, after: nothing },
  "comment.deleted": { before: stored(commentRemovalSchema), after: nothing },
  "project.created": { before: nothing, after: stored(projectKeyNameSchema) },
  "project.updated": { before: stored(projectChangeSchema), after: stored(projectChangeSchema) },
  "project.archived": { before: stored(projectArchiveSchema), after: stored(projectArchiveSchema) },
  "project.unarchived": { before: stored(projectArchiveSchema), after: stored(projectArchiveSchema) },
  "label.created": { before: nothing, after: stored(labelFieldsSchema) },
  "label.updated": { before: stored(labelFieldsSchema), after: stored(labelFieldsSchema) },
  "label.deleted": { before: stored(labelFieldsSchema), after: nothing },
  "member.role_changed": { before: stored(memberFieldsSchema), after: stored(memberFieldsSchema) },
  "member.removed": { before: stored(memberFieldsSchema), after: nothing },
  "member.left": { before: stored(memberFieldsSchema), after: nothing },
  "member.joined": { before: nothing, after: stored(memberJoinSchema) },
  "invitation.created": { before: nothing, after: stored(invitationFieldsSchema) },
  "invitation.revoked": { before: nothing, after: nothing },
  "workspace.created": { before: nothing, after: stored(workspaceFieldsSchema) },
  "workspace.renamed": { before: stored(workspaceNameSchema), after: stored(workspaceNameSchema) },
  "api_key.created": { before: nothing, after: stored(apiKeyCreationSchema) },
  "api_key.revoked": { before: stored(apiKeyFieldsSchema), after: nothing },
  "webhook.created": { before: nothing, after: stored(webhookFieldsSchema) },
  "webhook.updated": { before: stored(webhookChangeSchema), after: stored(webhookChangeSchema) },
  "webhook.secret_rotated": { before: nothing, after: nothing },
  "webhook.deleted": { before: stored(webhookFieldsSchema), after: nothing },
} satisfies PayloadReaders;

function isKnownAction(action: string): action is ActivityAction {
  return Object.hasOwn(READERS, action);
}

function excerpt(text: string): string {
  const chars = Array.from(text);
  return chars.length > COMMENT_EXCERPT_LENGTH ? `${chars.slice(0, COMMENT_EXCERPT_LENGTH - 1).join("")}…` : text;
}

function taskOf(row: ActivityRow, viewer: ActivityViewer): ActivityTask | null {
  if (!row.task) return null;
  const deleted = row.task.deletedAt !== null;
  return {
    id: row.task.id,
    ref: formatTaskRef(row.task.project.key, row.task.number),
    title: deleted && !viewer.seesDeletedTaskTitles ? null : row.task.title,
    deleted,
  };
}

/** A comment on a deleted task is as unreadable as a deleted comment. */
function commentOf(row: ActivityRow): ActivityComment {
  const live = row.comment && row.comment.deletedAt === null && row.task?.deletedAt === null ? row.comment : null;
  return { id: row.comment?.id ?? row.entityId, excerpt: live ? excerpt(live.body) : null, deleted: !live };
}

/** Blanks titles a reader may not see in an event about a deleted task. */
function withoutTitles(event: ActivityDto): ActivityDto {
  const hide = <P extends { title?: string | null }>(payload: P | null): P | null =>
    payload && payload.title !== undefined ? { ...payload, title: null } : payload;
  switch (event.action) {
    case "task.created":
      return { ...event, after: hide(event.after) };
    case "task.updated":
      return { ...event, before: hide(event.before), after: hide(event.after) };
    case "task.deleted":
      return { ...event, before: hide(event.before) };
    default:
      return event;
  }
}

/** Blanks where a webhook points, for readers who may not see webhooks. */
function withoutHosts(event: ActivityDto): ActivityDto {
  const hide = <P extends { host?: string | null }>(payload: P | null): P | null =>
    payload && payload.host !== undefined ? { ...payload, host: null } : payload;
  switch (event.action) {
    case "webhook.created":
      return { ...event, after: hide(event.after) };
    case "webhook.updated":
      return { ...event, before: hide(event.before), after: hide(event.after) };
    case "webhook.deleted":
      return { ...event, before: hide(event.before) };
    default:
      return event;
  }
}

function redact(event: ActivityDto, viewer: ActivityViewer): ActivityDto {
  if (event.action === "invitation.created" && event.after && !viewer.seesInvitationEmails)
    return { ...event, after: { ...event.after, email: null } };
  if (event.entityType === "webhook" && !viewer.seesWebhookTargets) return withoutHosts(event);
  if (event.task?.deleted && !viewer.seesDeletedTaskTitles) return withoutTitles(event);
  return event;
}

/** The event as `viewer` may see it; null for an action this version does not know. */
export function toActivityDto(row: ActivityRow, viewer: ActivityViewer): ActivityDto | null {
  if (!isKnownAction(row.action)) return null;
  const readers: { [K in Side]: z.ZodType<unknown> } = READERS[row.action];
  const candidate = {
    id: row.id,
    action: row.action,
    entityType: row.entityType,
    entityId: row.entityId,
    actor: row.actor,
    apiKey: row.apiKey,
    createdAt: row.createdAt,
    task: taskOf(row, viewer),
    ...(row.entityType === "comment" ? { comment: commentOf(row) } : {}),
    before: readers.before.parse(row.before),
    after: readers.after.parse(row.after),
  };
  // The per-action readers give each action its shape; this parse proves it (and strips anything else).
  const parsed = activitySchema.safeParse(candidate);
  return parsed.success ? redact(parsed.data, viewer) : null;
}
