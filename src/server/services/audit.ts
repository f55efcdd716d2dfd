/**
 * Writing the audit trail. Every change calls `audit(tx, ctx, event)` inside the
 * transaction that makes it; the envelope (workspace, actor, request id, entity)
 * comes from the context and the event, so no service repeats it. `AuditEvent`
 * lists every action with the exact `before`/`after` it stores: a field that is
 * not typed here cannot reach the trail. What is stored is what some reader may
 * see: no comment text (readers see the live comment), no descriptions (only their
 * length), no member's email. Reading back, services/activity-view.ts redacts by role.
 */
import { recordActivity } from "@/server/db/activity";
import { scheduleWebhookDeliveries } from "./webhooks";
import { scheduleEventPublication } from "./domain-events";
import type { DbTx } from "@/server/db/client";
import type { Role } from "@/shared/roles";
import type { TaskPriority, TaskStatus } from "@/shared/tracker";
import type { WorkspaceContext } from "./context";
import type { EventType } from "@/shared/schemas/events";

/** Who acts where; a WorkspaceContext is one, and so is a UserContext plus the workspace it acts in. */
export type AuditScope = Pick<WorkspaceContext, "userId" | "requestId" | "apiKey"> & { workspace: { id: string } };

/** A task's fields as recorded when it is created. */
export type TaskSnapshot = {
  title: string;
  status: TaskStatus;
  priority: TaskPriority;
  assigneeId: string | null;
  dueDate: string | null;
  labels: string[];
};
/** Long text is recorded as its size only. */
export type TextSize = { length: number };
/** The fields a task change touched, each with its value (before or after). */
export type TaskChange = Partial<TaskSnapshot & { description: TextSize }>;

/** Counted in code points, as PostgreSQL's char_length counts (the migration that scrubbed old events used it). */
export function textSize(text: string): TextSize {
  return { length: Array.from(text).length };
}

type TaskEvent = { taskId: string } & (
  | { action: "task.created"; after: TaskSnapshot }
  | { action: "task.updated"; before: TaskChange; after: TaskChange }
  | { action: "task.reordered"; before: { position: string }; after: { position: string } }
  | { action: "task.deleted"; before: { title: string; status: TaskStatus } }
);

type CommentEvent = { taskId: string; commentId: string } & (
  | { action: "comment.created"; after: { mentioned: string[] } }
  | { action: "comment.edited" }
  | { action: "comment.deleted"; before: { authorId: string } }
);

export type ProjectFields = { name?: string; description?: TextSize; archivedAt?: string | null };
type LabelFields = { name: string; color: string };
type MemberFields = { role: Role; userId: string };
/** A webhook as the trail keeps it: where it points (the host only: a URL can carry a token) and what it hears. */
export type WebhookFields = { host: string; events: string[] };
/** `urlChanged`: the URL moved within the same host (a new path or token), recorded without the URL. */
export type WebhookChange = Partial<WebhookFields & { enabled: boolean; urlChanged: true }>;

type EntityEvent = { entityId: string } & (
  | { action: "project.created"; after: { key: string; name: string } }
  | {
      action: "project.updated" | "project.archived" | "project.unarchived";
      before: ProjectFields;
      after: ProjectFields;
    }
  | { action: "label.created"; after: LabelFields }
  | { action: "label.updated"; before: LabelFields; after: LabelFields }
  | { action: "label.deleted"; before: LabelFields }
  | { action: "member.role_changed"; before: MemberFields; after: MemberFields }
  | { action: "member.removed"; before: MemberFields }
  | { action: "member.left"; before: MemberFields }
  | { action: "member.joined"; after: MemberFields & { invitationId: string } }
  | { action: "invitation.created"; after: { email: string; role: Role } }
  | { action: "invitation.revoked" }
  | { action: "workspace.created"; after: { name: string; slug: string } }
  | { action: "workspace.renamed"; before: { name: string }; after: { name: string } }
  | { action: "api_key.created"; after: { name: string; prefix: string; scopes: string[] } }
  | { action: "api_key.revoked"; before: { name: string; prefix: string } }
  | { action: "webhook.created"; after: WebhookFields }
  | { action: "webhook.updated"; before: WebhookChange; after: WebhookChange }
  | { action: "webhook.secret_rotated" }
  | { action: "webhook.deleted"; before: WebhookFields }
);

export type AuditEvent = TaskEvent | CommentEvent | EntityEvent;
export type AuditAction = AuditEvent["action"];

// The published list of event types (webhooks, the event bus) is exactly the audit trail's actions.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const eventTypesMatchActions: Same<AuditAction, EventType> = true;
void eventTypesMatchActions;
/** The kind of object an action is about: the part before the dot. */
export type EntityType<A extends AuditAction = AuditAction> = A extends `${infer E}.${string}` ? E : never;

export function entityTypeOf<A extends AuditAction>(action: A): EntityType<A> {
  return action.slice(0, action.indexOf(".")) as EntityType<A>;
}

function entityIdOf(event: AuditEvent): string {
  if ("commentId" in event) return event.commentId;
  if ("taskId" in event) return event.taskId;
  return event.entityId;
}

/** Records `event` as done by the scope's user (with its API key, if any), in the scope's workspace and request. */
export async function audit(tx: DbTx, scope: AuditScope, event: AuditEvent): Promise<void> {
  const recorded = await recordActivity(tx, {
    workspaceId: scope.workspace.id,
    actorId: scope.userId,
    apiKeyId: scope.apiKey?.id ?? null,
    requestId: scope.requestId,
    action: event.action,
    entityType: entityTypeOf(event.action),
    entityId: entityIdOf(event),
    taskId: "taskId" in event ? event.taskId : null,
    commentId: "commentId" in event ? event.commentId : null,
    before: "before" in event ? event.before : null,
    after: "after" in event ? event.after : null,
  });
  // Webhooks and the event bus hear of it only if the change commits: enqueued in this transaction.
  await scheduleWebhookDeliveries(tx, recorded);
  await scheduleEventPublication(tx, recorded);
}
