/**
 * Roles in people's words, derived from THE permission table (src/shared/roles.ts):
 * what a role can do, and what changes when someone moves from one role to another.
 */
import { can, type Permission, type Role } from "@/shared/roles";

export const ROLE_LABEL: Record<Role, string> = { OWNER: "Owner", ADMIN: "Admin", MEMBER: "Member", VIEWER: "Viewer" };

export const ROLE_SUMMARY: Record<Role, string> = {
  OWNER: "Everything, including deleting the workspace",
  ADMIN: "Manages people, projects and workspace settings",
  MEMBER: "Creates and edits tasks, comments and labels",
  VIEWER: "Reads everything, changes nothing",
};

/** What people can do, each decided by one entry of the permission table. */
const CAPABILITIES: ReadonlyArray<{ permission: Permission; label: string }> = [
  { permission: "task.update", label: "create, edit and delete tasks" },
  { permission: "comment.create", label: "comment on tasks" },
  { permission: "label.manage", label: "manage labels" },
  { permission: "project.create", label: "create and archive projects" },
  { permission: "member.invite", label: "invite people, change roles and remove members" },
  { permission: "comment.deleteAny", label: "delete anyone's comments" },
  { permission: "workspace.update", label: "rename the workspace" },
  { permission: "workspace.delete", label: "delete the workspace" },
];

export type RoleChange = { gains: string[]; loses: string[] };

/** What someone gains and loses moving from `from` to `to`. */
export function roleChange(from: Role, to: Role): RoleChange {
  return {
    gains: CAPABILITIES.filter((c) => !can(from, c.permission) && can(to, c.permission)).map((c) => c.label),
    loses: CAPABILITIES.filter((c) => can(from, c.permission) && !can(to, c.permission)).map((c) => c.label),
  };
}
