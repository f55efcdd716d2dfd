import type { DbTx } from "./client";
import type { Prisma } from "./generated/client";

export const workspaceSelect = { id: true, slug: true, name: true, createdAt: true } satisfies Prisma.WorkspaceSelect;

export function createWorkspaceWithOwner(db: DbTx, data: { name: string; slug: string; ownerId: string }) {
  return db.workspace.create({
    data: { name: data.name, slug: data.slug, memberships: { create: { userId: data.ownerId, role: "OWNER" } } },
    select: workspaceSelect,
  });
}

/** The user's workspaces with their role and the member count, oldest membership first. */
export function listWorkspacesOfUser(db: DbTx, userId: string) {
  return db.membership.findMany({
    where: { userId },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: { role: true, workspace: { select: { ...workspaceSelect, _count: { select: { memberships: true } } } } },
  });
}

export function findWorkspaceById(db: DbTx, id: string) {
  return db.workspace.findUnique({ where: { id }, select: workspaceSelect });
}

export function countMembers(db: DbTx, workspaceId: string) {
  return db.membership.count({ where: { workspaceId } });
}

export function renameWorkspace(db: DbTx, id: string, name: string) {
  return db.workspace.update({ where: { id }, data: { name }, select: workspaceSelect });
}

export async function isSlugTaken(db: DbTx, slug: string): Promise<boolean> {
  return (await db.workspace.findUnique({ where: { slug }, select: { id: true } })) !== null;
}
