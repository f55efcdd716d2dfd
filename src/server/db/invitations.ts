import type { DbTx } from "./client";
import type { Prisma, Role } from "./generated/client";
import { userSummarySelect } from "./users";

export const invitationSelect = {
  id: true,
  email: true,
  role: true,
  expiresAt: true,
  createdAt: true,
  invitedBy: { select: userSummarySelect },
} satisfies Prisma.InvitationSelect;

export function createInvitation(
  db: DbTx,
  data: { workspaceId: string; email: string; role: Role; tokenHash: string; invitedById: string; expiresAt: Date },
) {
  return db.invitation.create({ data, select: invitationSelect });
}

/** Pending = not accepted, not revoked, not expired. */
export function listPendingInvitations(db: DbTx, workspaceId: string, now: Date) {
  return db.invitation.findMany({
    where: { workspaceId, acceptedAt: null, revokedAt: null, expiresAt: { gt: now } },
    orderBy: { createdAt: "desc" },
    select: invitationSelect,
  });
}

/** Revokes every pending invitation for this email (a new one replaces them). */
export function revokePendingForEmail(db: DbTx, workspaceId: string, email: string, now: Date) {
  return db.invitation.updateMany({
    where: { workspaceId, email, acceptedAt: null, revokedAt: null },
    data: { revokedAt: now },
  });
}

export function revokeInvitation(db: DbTx, workspaceId: string, id: string, now: Date) {
  return db.invitation.updateMany({
    where: { id, workspaceId, acceptedAt: null, revokedAt: null },
    data: { revokedAt: now },
  });
}

export function findInvitationByTokenHash(db: DbTx, tokenHash: string) {
  return db.invitation.findUnique({
    where: { tokenHash },
    select: {
      id: true,
      email: true,
      role: true,
      expiresAt: true,
      acceptedAt: true,
      revokedAt: true,
      workspaceId: true,
      workspace: { select: { name: true, slug: true } },
      invitedBy: { select: { name: true, email: true } },
    },
  });
}

/** Marks the invitation used; false if someone used or revoked it first (single use). */
export async function markInvitationAccepted(db: DbTx, id: string, userId: string, now: Date): Promise<boolean> {
  const { count } = await db.invitation.updateMany({
    where: { id, acceptedAt: null, revokedAt: null, expiresAt: { gt: now } },
    data: { acceptedAt: now, acceptedById: userId },
  });
  return count === 1;
}

/** Serializes invitations to one address in one workspace (a double-clicked "Invite" makes one). */
export async function lockInvitationsFor(db: DbTx, workspaceId: string, email: string): Promise<void> {
  await db.$queryRaw`SELECT pg_advisory_xact_lock(hashtext(${`invitation:${workspaceId}:${email}`}))::text`;
}

/** Whether any workspace has a pending invitation for this address (sign-up policy). */
export async function hasPendingInvitation(db: DbTx, email: string, now: Date): Promise<boolean> {
  const row = await db.invitation.findFirst({
    where: { email: email.toLowerCase(), acceptedAt: null, revokedAt: null, expiresAt: { gt: now } },
    select: { id: true },
  });
  return row !== null;
}
