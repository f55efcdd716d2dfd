/**
 * API keys in people's words. Scopes stand for roles of THE permission table
 * (SCOPE_ROLES in src/shared/roles.ts), so each line names the role a key acts as.
 */
import { SCOPE_ROLES, type ApiKeyScope } from "@/shared/roles";
import type { ApiKeyStatus } from "@/shared/schemas/api-key";
import { ROLE_LABEL } from "@/features/workspace/roles-copy";

export const SCOPE_LABEL: Record<ApiKeyScope, string> = { read: "Read", write: "Write", admin: "Admin" };

const SCOPE_ALLOWS: Record<ApiKeyScope, string> = {
  read: "reads projects, tasks, comments, labels, members and activity; changes nothing",
  write: "also creates, edits and deletes tasks, comments and labels",
  admin: "also manages projects, members, invitations and workspace settings",
};

/** "Acts as a Viewer: reads projects, …". */
export function scopeSummary(scope: ApiKeyScope): string {
  const role = ROLE_LABEL[SCOPE_ROLES[scope]];
  return `Acts as ${/^[AEIOU]/.test(role) ? "an" : "a"} ${role}: ${SCOPE_ALLOWS[scope]}.`;
}

export const STATUS_LABEL: Record<ApiKeyStatus, string> = {
  active: "Active",
  expired: "Expired",
  revoked: "Revoked",
  creator_left: "Creator left",
};

/** Colour is never the only difference: each status also has its own word. */
export const STATUS_STYLE: Record<ApiKeyStatus, string> = {
  active: "bg-emerald-100 text-emerald-800",
  expired: "bg-amber-100 text-amber-900",
  revoked: "bg-zinc-200 text-zinc-600",
  creator_left: "bg-rose-100 text-rose-800",
};
