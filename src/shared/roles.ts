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
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export function can(role: Role, permission: Permission): boolean {
  return PERMISSIONS[permission].includes(role);
}

/** Whether `actor` may give `target` role, or change someone who has `target` role. */
export function outranksOrEquals(actor: Role, target: Role): boolean {
  return ROLES.indexOf(actor) <= ROLES.indexOf(target);
}
