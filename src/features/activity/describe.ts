/** Human sentences for audit events ("changed status from Todo to Done"). */
import type { ActivityDto, ActivityOf, ActivityTask } from "@/shared/schemas/activity";
import { PRIORITY_LABEL, STATUS_LABEL } from "@/shared/tracker";

type TaskChange = NonNullable<ActivityOf<"task.updated">["after"]>;
type ChangedField = keyof TaskChange;

const FIELD_LABEL: Record<ChangedField, string> = {
  title: "title",
  description: "description",
  status: "status",
  priority: "priority",
  assigneeId: "assignee",
  dueDate: "due date",
  labels: "labels",
};

function quote(value: string): string {
  return `“${value.length > 60 ? `${value.slice(0, 57)}…` : value}”`;
}

function quoted(value: string | null | undefined, fallback: string): string {
  return value ? quote(value) : fallback;
}

function role(value: string | undefined): string {
  return value ? value.toLowerCase() : "a new role";
}

function person(userId: string | null | undefined, people: Map<string, string>): string {
  if (!userId) return "nobody";
  return people.get(userId) ?? "someone";
}

/** One field's value as a short phrase. */
function shownValue(
  field: Exclude<ChangedField, "description" | "title">,
  change: TaskChange,
  people: Map<string, string>,
): string {
  switch (field) {
    case "status":
      return change.status ? STATUS_LABEL[change.status] : "none";
    case "priority":
      return change.priority ? PRIORITY_LABEL[change.priority] : "none";
    case "assigneeId":
      return person(change.assigneeId, people);
    case "dueDate":
      return change.dueDate ?? "none";
    case "labels":
      return change.labels?.length ? change.labels.join(", ") : "none";
  }
}

function describeChange(
  field: ChangedField,
  before: TaskChange,
  after: TaskChange,
  people: Map<string, string>,
): string {
  if (field === "description") return "edited the description";
  // A deleted task's titles may be hidden from this reader (null).
  if (field === "title")
    return after.title && before.title
      ? `changed title from ${quote(before.title)} to ${quote(after.title)}`
      : "changed the title";
  return `changed ${FIELD_LABEL[field]} from ${shownValue(field, before, people)} to ${shownValue(field, after, people)}`;
}

function describeUpdate(event: ActivityOf<"task.updated">, people: Map<string, string>, on: string): string {
  const before = event.before ?? {};
  const after = event.after ?? {};
  const fields = (Object.keys(FIELD_LABEL) as ChangedField[]).filter((f) => f in after);
  if (fields.length === 0) return `changed${on || " a task"}`;
  return `${fields.map((f) => describeChange(f, before, after, people)).join(", ")}${on ? ` on${on}` : ""}`;
}

/** How a task is named next to an event: its title, or that it was deleted. */
export function taskLabel(task: ActivityTask): string {
  if (!task.deleted) return task.title ?? "";
  return task.title ? `${task.title} (deleted)` : "(deleted task)";
}

/** What happened, without the actor (the caller shows who and when). Pass `task: null` to leave the task out. */
export function describeActivity(event: ActivityDto, people: Map<string, string> = new Map()): string {
  const target = event.task ? ` ${event.task.ref}` : "";
  const on = target ? ` on${target}` : "";
  switch (event.action) {
    case "task.created":
      return `created${target}`;
    case "task.deleted":
      return `deleted${target}${event.before?.title ? ` ${quote(event.before.title)}` : ""}`;
    case "task.reordered":
      return `reordered${target} on the board`;
    case "task.updated":
      return describeUpdate(event, people, target);
    case "comment.created":
      return `commented${on}`;
    case "comment.edited":
      return `edited a comment${on}`;
    case "comment.deleted":
      return `deleted a comment${on}`;
    case "project.created":
      return `created project ${event.after?.key ?? ""} ${quoted(event.after?.name, "")}`.trimEnd();
    case "project.updated":
      return event.after?.name ? `renamed a project to ${quote(event.after.name)}` : "updated a project";
    case "project.archived":
      return "archived a project";
    case "project.unarchived":
      return "unarchived a project";
    case "label.created":
      return `created label ${quoted(event.after?.name, "")}`.trimEnd();
    case "label.updated":
      return `updated label ${quoted(event.after?.name, "")}`.trimEnd();
    case "label.deleted":
      return `deleted label ${quoted(event.before?.name, "")}`.trimEnd();
    case "member.role_changed":
      if (!event.before || !event.after) return "changed a member's role";
      return `changed ${people.get(event.after.userId) ?? "a member"}'s role from ${role(event.before.role)} to ${role(event.after.role)}`;
    case "member.removed":
      return `removed ${people.get(event.before?.userId ?? "") ?? "a member"}`;
    case "member.left":
      return "left the workspace";
    case "member.joined":
      return `joined as ${role(event.after?.role)}`;
    case "invitation.created":
      return `invited ${event.after?.email ?? "someone"} as ${role(event.after?.role)}`;
    case "invitation.revoked":
      return "revoked an invitation";
    case "workspace.created":
      return "created the workspace";
    case "workspace.renamed":
      return `renamed the workspace to ${quoted(event.after?.name, "a new name")}`;
    case "api_key.created":
      return `created API key ${quoted(event.after?.name, "")}`.trimEnd();
    case "api_key.revoked":
      return `revoked API key ${quoted(event.before?.name, "")}`.trimEnd();
    case "webhook.created":
      return event.after?.host ? `added a webhook to ${event.after.host}` : "added a webhook";
    case "webhook.updated":
      return describeWebhookChange(event.after);
    case "webhook.secret_rotated":
      return "rotated a webhook's signing secret";
    case "webhook.deleted":
      return event.before?.host ? `removed the webhook to ${event.before.host}` : "removed a webhook";
  }
}

function describeWebhookChange(after: ActivityOf<"webhook.updated">["after"]): string {
  if (after?.enabled === false) return "turned a webhook off";
  if (after?.enabled === true) return "turned a webhook back on";
  if (after?.host) return `pointed a webhook at ${after.host}`;
  if (after?.host === null || after?.urlChanged) return "pointed a webhook elsewhere";
  if (after?.events) return "changed the events a webhook hears";
  return "changed a webhook";
}

/** Who did it: the person, or "System" for changes nobody made. */
export function actorName(event: ActivityDto): string {
  return event.actor?.name ?? event.actor?.email ?? "System";
}

/** "via API key “CI”" for changes made with a key (the actor is its creator), else null. */
export function viaApiKey(event: ActivityDto): string | null {
  return event.apiKey ? `via API key ${quote(event.apiKey.name)}` : null;
}

/** The comment a comment event is about, as a short quote (null when it is gone). */
export function commentExcerpt(event: ActivityDto): string | null {
  return "comment" in event && event.comment.excerpt ? event.comment.excerpt : null;
}

export function timeAgo(date: Date, now = Date.now()): string {
  const s = Math.round((now - date.getTime()) / 1000);
  if (s < 60) return "just now";
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min ago`;
  const h = Math.round(m / 60);
  if (h < 24) return `${h} h ago`;
  const d = Math.round(h / 24);
  if (d < 30) return `${d} d ago`;
  return shortDate(date);
}

/** "Dec 2, 2026": the short date lists and tables use (the full time belongs in a title). */
export function shortDate(date: Date): string {
  return date.toLocaleDateString("en", { month: "short", day: "numeric", year: "numeric" });
}
