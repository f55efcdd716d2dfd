/** Workspace roles, most to least powerful. Mirrors the Prisma `Role` enum. */
export const ROLES = ["OWNER", "ADMIN", "MEMBER", "VIEWER"] as const;
export type Role = (typeof ROLES)[number];

const ALL: readonly Role[] = ROLES;
const EDITORS: readonly Role[] = ["OWNER", "ADMIN", "MEMBER"];
const ADMINS: readonly Role[] = ["OWNER", "ADMIN"];
const OWNERS: readonly Role[] = ["OWNER"];

/**
 * THE permission table: every action a workspace member can take, and the
 * roles allowed to take it. The server's workspace procedures check it; the
 * UI reads it to hide what a role cannot do. Nothing else decides permissions.
 */
export const PERMISSIONS = {
  "workspace.read": ALL,
  "workspace.update": ADMINS,
  "workspace.delete": OWNERS,
  "member.read": ALL,
  "member.invite": ADMINS,
  "member.updateRole": ADMINS,
  "member.remove": ADMINS,
  "member.leave": ALL,
  "invitation.read": ADMINS,
  "invitation.revoke": ADMINS,
  "project.read": ALL,
  "project.create": ADMINS,
  "project.update": ADMINS,
  "project.archive": ADMINS,
  "task.read": ALL,
  "task.create": EDITORS,
  "task.update": EDITORS,
  "task.delete": EDITORS,
  "comment.read": ALL,
  "comment.create": EDITORS,
  "comment.editOwn": EDITORS,
  "comment.deleteOwn": EDITORS,
  "comment.deleteAny": ADMINS,
  "label.read": ALL,
  "label.manage": EDITORS,
  "activity.read": ALL,
  /** One's own inbox (mentions, assignments): personal, so never an API key's. */
  "notification.own": ALL,
  /** Live updates of a workspace in a browser; programs use webhooks or the event bus instead. */
  "live.subscribe": ALL,
  /** Showing others that one has a task open, and seeing who else has: people in a browser. */
  "presence.share": ALL,
  "apiKey.read": ADMINS,
  "apiKey.manage": ADMINS,
  /** Webhooks and their delivery logs (an admin key may manage them too: automation sets them up). */
  "webhook.read": ADMINS,
  "webhook.manage": ADMINS,
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export function can(role: Role, permission: Permission): boolean {
  return PERMISSIONS[permission].includes(role);
}

/** Whether `actor` may give `target` role, or change someone who has `target` role. */
export function outranksOrEquals(actor: Role, target: Role): boolean {
  return ROLES.indexOf(actor) <= ROLES.indexOf(target);
}

/** The lower (less powerful) of two roles. */
export function lowerRole(a: Role, b: Role): Role {
  return ROLES.indexOf(a) >= ROLES.indexOf(b) ? a : b;
}

/**
 * API-key scopes, each mapped onto a row of the permission table: a key acts with the role of its
 * highest scope, capped by its creator's current role (docs/decisions/0026-api-keys.md).
 */
export const API_KEY_SCOPES = ["read", "write", "admin"] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];
export const SCOPE_ROLES = { read: "VIEWER", write: "MEMBER", admin: "ADMIN" } as const satisfies Record<
  ApiKeyScope,
  Role
>;

/** What only a person does, whatever a key's scopes: leaving, one's inbox, live updates, managing keys (a key cannot mint keys). */
export const PERSON_ONLY: ReadonlySet<Permission> = new Set<Permission>([
  "member.leave",
  "notification.own",
  "live.subscribe",
  "presence.share",
  "apiKey.read",
  "apiKey.manage",
]);

/** Scopes are cumulative: `write` includes `read`, `admin` includes both. */
export function scopesUpTo(scope: ApiKeyScope): ApiKeyScope[] {
  return API_KEY_SCOPES.slice(0, API_KEY_SCOPES.indexOf(scope) + 1);
}

/** The highest scope a stored list holds (unknown strings are ignored; none: null). */
export function highestScope(scopes: readonly string[]): ApiKeyScope | null {
  let best: ApiKeyScope | null = null;
  for (const scope of API_KEY_SCOPES) if (scopes.includes(scope)) best = scope;
  return best;
}

/** The role a key acts with: its highest scope's, never above its creator's current role. */
export function keyRole(scopes: readonly string[], creatorRole: Role): Role | null {
  const scope = highestScope(scopes);
  return scope ? lowerRole(SCOPE_ROLES[scope], creatorRole) : null;
}
