/**
 * Which parts of the API a live event makes stale, by router: the client refetches the queries of
 * those routers that are on screen (React Query refetches only active ones). Pure, unit-tested.
 */
import type { LiveEvent } from "@/shared/schemas/live";

export type RouterName =
  | "task"
  | "comment"
  | "activity"
  | "search"
  | "project"
  | "label"
  | "member"
  | "invitation"
  | "workspace"
  | "apiKey"
  | "notification"
  | "presence"
  | "webhook";

/** Everything a page may show: after a reset, or a reconnection that could not resume. */
export const EVERYTHING: readonly RouterName[] = [
  "task",
  "comment",
  "activity",
  "search",
  "project",
  "label",
  "member",
  "invitation",
  "workspace",
  "apiKey",
  "notification",
  "presence",
  "webhook",
];

const BY_ENTITY: Record<string, readonly RouterName[]> = {
  // Project lists show task counts; search results show titles and statuses.
  task: ["task", "activity", "search", "project"],
  comment: ["comment", "activity", "task"],
  project: ["project", "task", "activity"],
  label: ["label", "task", "activity"],
  // A role change or removal changes what this person may do (workspace.get holds their role).
  member: ["member", "workspace", "activity"],
  invitation: ["invitation", "activity"],
  workspace: ["workspace", "activity"],
  api_key: ["apiKey", "activity"],
  webhook: ["webhook", "activity"],
};

export function affectedRouters(event: LiveEvent): readonly RouterName[] {
  switch (event.kind) {
    case "ready":
      return [];
    case "inbox":
      // The person's notifications here, or their invitations to other workspaces.
      return ["notification", "invitation"];
    case "presence":
      return ["presence"];
    case "reset":
      return EVERYTHING;
    case "change":
      // An entity this client does not know yet (a newer server): refetch what is shown.
      return BY_ENTITY[event.entityType] ?? EVERYTHING;
  }
}
