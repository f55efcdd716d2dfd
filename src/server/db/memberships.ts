import type { DbTx } from "./client";
import type { Prisma, Role } from "./generated/client";
import { userSummarySelect } from "./users";
import { workspaceSelect } from "./workspaces";

export const memberSelect = {
  id: true,
  role: true,
  createdAt: true,
  user: { select: userSummarySelect },
} satisfies Prisma.MembershipSelect;

export type MemberRow = Prisma.MembershipGetPayload<{ select: typeof memberSelect }>;

/** The caller's membership of the workspace with this slug: one indexed query per request. */
export function findMembershipBySlug(db: DbTx, userId: string, slug: string) {
  return db.membership.findFirst({
    where: { userId, workspace: { slug } },
    select: { id: true, role: true, workspace: { select: workspaceSelect } },
  });
}

export function listMembers(db: DbTx, workspaceId: string) {
  return db.membership.findMany({
    where: { workspaceId },
    select: memberSelect,
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
  });
}

export function findMember(db: DbTx, workspaceId: string, memberId: string) {
  return db.membership.findFirst({ where: { id: memberId, workspaceId }, select: memberSelect });
}

export function findMemberByUser(db: DbTx, workspaceId: string, userId: string) {
  return db.membership.findUnique({ where: { workspaceId_userId: { workspaceId, userId } }, select: memberSelect });
}

/** Members among these user ids (to validate assignees and mentions). */
export function findMembersByUserIds(db: DbTx, workspaceId: string, userIds: string[]) {
  return db.membership.findMany({ where: { workspaceId, userId: { in: userIds } }, select: { userId: true } });
}

export function findMembersByHandles(db: DbTx, workspaceId: string, handles: string[]) {
  return db.membership.findMany({
    where: { workspaceId, user: { handle: { in: handles } } },
    select: { userId: true, user: { select: { handle: true } } },
  });
}

export function countOwners(db: DbTx, workspaceId: string) {
  return db.membership.count({ where: { workspaceId, role: "OWNER" } });
}

export function createMembership(db: DbTx, data: { workspaceId: string; userId: string; role: Role }) {
  return db.membership.create({ data, select: memberSelect });
}

export function updateMemberRole(db: DbTx, workspaceId: string, memberId: string, role: Role) {
  return db.membership.update({ where: { id: memberId, workspaceId }, data: { role }, select: memberSelect });
}

export function deleteMembership(db: DbTx, workspaceId: string, memberId: string) {
  return db.membership.delete({ where: { id: memberId, workspaceId }, select: { id: true } });
}

/** Locks the workspace's owner rows so two concurrent demotions cannot remove the last owner. */
export async function lockOwners(db: DbTx, workspaceId: string): Promise<void> {
  await db.$queryRaw`SELECT id FROM "Membership" WHERE "workspaceId" = ${workspaceId} AND role = 'OWNER' FOR UPDATE`;
}
