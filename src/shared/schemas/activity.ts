/**
 * The audit trail as readers see it: one typed shape per action, so nothing the
 * server did not plan to show can leave it (the procedures validate against this).
 * What each role sees is decided on the server (services/activity-view.ts):
 * - comment text is never in the trail; comment events show the live comment's
 *   excerpt, or nothing once it is deleted;
 * - a description (task or project) is recorded as its length only;
 * - a deleted task is flagged `deleted`; its title is null for roles that may not delete tasks;
 * - an invitee's email is null for roles that may not read invitations.
 */
import { z } from "zod";
import { idSchema, inWorkspace, pageInput, pageOf, roleSchema, userSummarySchema } from "./common";
import { taskPrioritySchema, taskStatusSchema } from "./task";

/** The task an event is about. `title` is the current one; null when hidden (a deleted task). */
export const activityTaskSchema = z.object({
  id: z.string(),
  ref: z.string(),
  title: z.string().nullable(),
  deleted: z.boolean(),
});
export type ActivityTask = z.infer<typeof activityTaskSchema>;

/** The comment an event is about: an excerpt of its current text, null once deleted. */
export const activityCommentSchema = z.object({ id: z.string(), excerpt: z.string().nullable(), deleted: z.boolean() });
export type ActivityComment = z.infer<typeof activityCommentSchema>;

/** Long text is never copied into the trail, only its size. */
export const textSizeSchema = z.object({ length: z.number().int().nonnegative() });

const taskFields = {
  /** Null when hidden (the task was deleted and the reader may not see its title). */
  title: z.string().nullable(),
  status: taskStatusSchema,
  priority: taskPrioritySchema,
  assigneeId: z.string().nullable(),
  dueDate: z.string().nullable(),
  labels: z.array(z.string()),
};
/** A new task's fields (older events may lack some). */
export const taskSnapshotSchema = z.object(taskFields).partial();
/** The fields one change touched, before or after it. */
export const taskChangeSchema = z.object({ ...taskFields, description: textSizeSchema }).partial();
export const positionSchema = z.object({ position: z.string() });
export const taskRemovalSchema = z.object({ title: z.string().nullable(), status: taskStatusSchema });
export const mentionsSchema = z.object({ mentioned: z.array(z.string()) });
export const commentRemovalSchema = z.object({ authorId: z.string() });
export const projectKeyNameSchema = z.object({ key: z.string(), name: z.string() });
export const projectChangeSchema = z.object({ name: z.string(), description: textSizeSchema }).partial();
export const projectArchiveSchema = z.object({ archivedAt: z.string().nullable() });
export const labelFieldsSchema = z.object({ name: z.string(), color: z.string() });
export const memberFieldsSchema = z.object({ role: roleSchema, userId: z.string() });
export const memberJoinSchema = memberFieldsSchema.extend({ invitationId: z.string().optional() });
/** `email` is null for readers who may not read invitations. */
export const invitationFieldsSchema = z.object({ email: z.string().nullable(), role: roleSchema });
export const workspaceFieldsSchema = z.object({ name: z.string(), slug: z.string() });
export const workspaceNameSchema = z.object({ name: z.string() });

/** The API key a change was made with (its creator is the actor); null for changes made in person. */
export const activityApiKeySchema = z.object({ id: z.string(), name: z.string(), prefix: z.string() });
export const apiKeyFieldsSchema = z.object({ name: z.string(), prefix: z.string() });
export const apiKeyCreationSchema = apiKeyFieldsSchema.extend({ scopes: z.array(z.string()) });
/** `host` is null for readers who may not see webhooks (only owners and admins see where data goes). */
export const webhookFieldsSchema = z.object({ host: z.string().nullable(), events: z.array(z.string()) });
export const webhookChangeSchema = webhookFieldsSchema
  .extend({ enabled: z.boolean(), urlChanged: z.literal(true) })
  .partial();

const common = {
  id: z.string(),
  entityId: z.string(),
  actor: userSummarySchema.nullable(),
  apiKey: activityApiKeySchema.nullable(),
  createdAt: z.date(),
};
const none = z.null();

/**
 * One event shape. A payload that is present can still be null: the event's
 * stored data was unreadable (then it is shown without details, never guessed).
 */
function event<
  A extends string,
  E extends string,
  B extends z.ZodType,
  F extends z.ZodType,
  X extends z.ZodRawShape = Record<never, never>,
>(action: A, entityType: E, before: B, after: F, extra?: X) {
  return z.object({
    ...common,
    action: z.literal(action),
    entityType: z.literal(entityType),
    before,
    after,
    ...(extra ?? ({} as X)),
  });
}

const onTask = { task: activityTaskSchema.nullable() };
const onComment = { task: activityTaskSchema.nullable(), comment: activityCommentSchema };
const noTask = { task: z.null() };

export const activitySchema = z.discriminatedUnion("action", [
  event("task.created", "task", none, taskSnapshotSchema.nullable(), onTask),
  event("task.updated", "task", taskChangeSchema.nullable(), taskChangeSchema.nullable(), onTask),
  event("task.reordered", "task", positionSchema.nullable(), positionSchema.nullable(), onTask),
  event("task.deleted", "task", taskRemovalSchema.nullable(), none, onTask),
  event("comment.created", "comment", none, mentionsSchema.nullable(), onComment),
  event("comment.edited", "comment", none, none, onComment),
  event("comment.deleted", "comment", commentRemovalSchema.nullable(), none, onComment),
  event("project.created", "project", none, projectKeyNameSchema.nullable(), noTask),
  event("project.updated", "project", projectChangeSchema.nullable(), projectChangeSchema.nullable(), noTask),
  event("project.archived", "project", projectArchiveSchema.nullable(), projectArchiveSchema.nullable(), noTask),
  event("project.unarchived", "project", projectArchiveSchema.nullable(), projectArchiveSchema.nullable(), noTask),
  event("label.created", "label", none, labelFieldsSchema.nullable(), noTask),
  event("label.updated", "label", labelFieldsSchema.nullable(), labelFieldsSchema.nullable(), noTask),
  event("label.deleted", "label", labelFieldsSchema.nullable(), none, noTask),
  event("member.role_changed", "member", memberFieldsSchema.nullable(), memberFieldsSchema.nullable(), noTask),
  event("member.removed", "member", memberFieldsSchema.nullable(), none, noTask),
  event("member.left", "member", memberFieldsSchema.nullable(), none, noTask),
  event("member.joined", "member", none, memberJoinSchema.nullable(), noTask),
  event("invitation.created", "invitation", none, invitationFieldsSchema.nullable(), noTask),
  event("invitation.revoked", "invitation", none, none, noTask),
  event("workspace.created", "workspace", none, workspaceFieldsSchema.nullable(), noTask),
  event("workspace.renamed", "workspace", workspaceNameSchema.nullable(), workspaceNameSchema.nullable(), noTask),
  event("api_key.created", "api_key", none, apiKeyCreationSchema.nullable(), noTask),
  event("api_key.revoked", "api_key", apiKeyFieldsSchema.nullable(), none, noTask),
  event("webhook.created", "webhook", none, webhookFieldsSchema.nullable(), noTask),
  event("webhook.updated", "webhook", webhookChangeSchema.nullable(), webhookChangeSchema.nullable(), noTask),
  event("webhook.secret_rotated", "webhook", none, none, noTask),
  event("webhook.deleted", "webhook", webhookFieldsSchema.nullable(), none, noTask),
]);
export type ActivityDto = z.infer<typeof activitySchema>;
export type ActivityAction = ActivityDto["action"];
export type ActivityOf<A extends ActivityAction> = Extract<ActivityDto, { action: A }>;

export const activityPageSchema = pageOf(activitySchema);
export const workspaceFeedInput = inWorkspace({ ...pageInput });
export const taskActivityInput = inWorkspace({ taskId: idSchema, ...pageInput });
