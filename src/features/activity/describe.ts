/** Human sentences for audit events ("changed status from Todo to Done"). */
import type { ActivityDto } from "@/shared/schemas/activity";
import { PRIORITY_LABEL, STATUS_LABEL, type TaskPriority, type TaskStatus } from "@/shared/tracker";

const FIELD_LABEL: Record<string, string> = {
  title: "title",
  description: "description",
  status: "status",
  priority: "priority",
  assigneeId: "assignee",
  dueDate: "due date",
  labels: "labels",
  name: "name",
  role: "role",
};

/** A stored JSON value as text. */
function text(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

function show(field: string, value: unknown, people: Map<string, string>): string {
  if (value === null || value === undefined || value === "") return "none";
  if (field === "status") return STATUS_LABEL[value as TaskStatus] ?? text(value);
  if (field === "priority") return PRIORITY_LABEL[value as TaskPriority] ?? text(value);
  if (field === "assigneeId") return people.get(text(value)) ?? "someone";
  if (Array.isArray(value)) return value.length ? value.map(text).join(", ") : "none";
  if (field === "description") return "…";
  if (field === "role") return text(value).toLowerCase();
  return typeof value === "string" ? `“${value.length > 60 ? `${value.slice(0, 57)}…` : value}”` : JSON.stringify(value);
}

/** What happened, without the actor (the caller shows who and when). */
export function describeActivity(event: ActivityDto, people: Map<string, string> = new Map()): string {
  const after = event.after ?? {};
  const before = event.before ?? {};
  const target = event.task ? ` ${event.task.ref}` : "";
  switch (event.action) {
    case "task.created":
      return `created${target}`;
    case "task.deleted":
      return `deleted${target} ${show("title", before.title, people)}`;
    case "task.reordered":
      return `reordered${target} on the board`;
    case "task.updated": {
      const changes = Object.keys(after).map((field) =>
        field === "description" ? "edited the description" : `changed ${FIELD_LABEL[field] ?? field} from ${show(field, before[field], people)} to ${show(field, after[field], people)}`,
      );
      return `${changes.join(", ")}${target ? ` on${target}` : ""}`;
    }
    case "comment.created":
      return `commented${target ? ` on${target}` : ""}`;
    case "comment.edited":
      return `edited a comment${target ? ` on${target}` : ""}`;
    case "comment.deleted":
      return `deleted a comment${target ? ` on${target}` : ""}`;
    case "project.created":
      return `created project ${text(after.key ?? "")} ${show("name", after.name, people)}`;
    case "project.updated":
      return "updated a project";
    case "project.archived":
      return "archived a project";
    case "project.unarchived":
      return "unarchived a project";
    case "label.created":
      return `created label ${show("name", after.name, people)}`;
    case "label.updated":
      return `updated label ${show("name", after.name, people)}`;
    case "label.deleted":
      return `deleted label ${show("name", before.name, people)}`;
    case "member.role_changed":
      return `changed a member's role from ${show("role", before.role, people)} to ${show("role", after.role, people)}`;
    case "member.removed":
      return `removed ${text(before.email ?? "a member")}`;
    case "member.left":
      return "left the workspace";
    case "member.joined":
      return `joined as ${show("role", after.role, people)}`;
    case "invitation.created":
      return `invited ${text(after.email ?? "someone")} as ${show("role", after.role, people)}`;
    case "invitation.revoked":
      return "revoked an invitation";
    case "workspace.created":
      return "created the workspace";
    case "workspace.renamed":
      return `renamed the workspace to ${show("name", after.name, people)}`;
    default:
      return event.action;
  }
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
  return date.toLocaleDateString("en", { month: "short", day: "numeric", year: "numeric" });
}
