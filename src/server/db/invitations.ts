import type { DbTx } from "./client";
import type { Prisma, Role } from "./generated/client";
import { userSummarySelect } from "./users";

export const invitationSelect = {
  id: true,
  email: true,
  role: true,
  expiresAt: true,
  createdAt: true,
  emailedAt: true,
  emailFailedAt: true,
  invitedBy: { select: userSummarySelect },
} satisfies Prisma.InvitationSelect;

export function createInvitation(
  db: DbTx,
  data: {
    workspaceId: string;
    email: string;
    role: Role;
    tokenHash: string;
    tokenSealed: string;
    invitedById: string;
    expiresAt: Date;
  },
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
    data: { revokedAt: now, tokenSealed: null },
  });
}

export function revokeInvitation(db: DbTx, workspaceId: string, id: string, now: Date) {
  return db.invitation.updateMany({
    where: { id, workspaceId, acceptedAt: null, revokedAt: null },
    data: { revokedAt: now, tokenSealed: null },
  });
}

const invitationStateSelect = {
  id: true,
  email: true,
  role: true,
  expiresAt: true,
  acceptedAt: true,
  revokedAt: true,
  workspaceId: true,
  workspace: { select: { name: true, slug: true } },
  invitedBy: { select: { name: true, email: true } },
} satisfies Prisma.InvitationSelect;

export function findInvitationById(db: DbTx, id: string) {
  return db.invitation.findUnique({ where: { id }, select: invitationStateSelect });
}

/** Pending invitations to this address, in any workspace, newest first. */
export function listPendingInvitationsForEmail(db: DbTx, email: string, now: Date) {
  return db.invitation.findMany({
    where: { email: email.toLowerCase(), acceptedAt: null, revokedAt: null, expiresAt: { gt: now } },
    orderBy: { createdAt: "desc" },
    take: 50,
    select: {
      id: true,
      role: true,
      expiresAt: true,
      workspace: { select: { name: true, slug: true } },
      invitedBy: { select: { name: true, email: true } },
    },
  });
}

/** Tells the person's open tabs (any workspace) that their invitations changed (at commit). */
export async function announceToInvitee(db: DbTx, userId: string): Promise<void> {
  await db.$queryRaw`SELECT pg_notify('lanes_inbox', ${`${userId}:*`})::text`;
}

export function findInvitationByTokenHash(db: DbTx, tokenHash: string) {
  return db.invitation.findUnique({ where: { tokenHash }, select: invitationStateSelect });
}

/** Marks the invitation used; false if someone used or revoked it first (single use). */
export async function markInvitationAccepted(db: DbTx, id: string, userId: string, now: Date): Promise<boolean> {
  const { count } = await db.invitation.updateMany({
    where: { id, acceptedAt: null, revokedAt: null, expiresAt: { gt: now } },
    data: { acceptedAt: now, acceptedById: userId, tokenSealed: null },
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

/** What the `mail.invitation` job needs: the sealed token, the state, and the names in the mail. */
export function findInvitationForEmail(db: DbTx, id: string) {
  return db.invitation.findUnique({
    where: { id },
    select: {
      id: true,
      email: true,
      role: true,
      tokenSealed: true,
      emailedAt: true,
      expiresAt: true,
      acceptedAt: true,
      revokedAt: true,
      workspace: { select: { name: true } },
      invitedBy: { select: { name: true, email: true } },
    },
  });
}

/** Records the mail as sent and forgets the readable token (only its hash remains). */
export function markInvitationEmailed(db: DbTx, id: string, now: Date) {
  return db.invitation.update({ where: { id }, data: { emailedAt: now, tokenSealed: null }, select: { id: true } });
}

/** The mail job gave up: say so, and forget the readable token (a new invitation mails a new one). */
export function markInvitationEmailFailed(db: DbTx, id: string, now: Date) {
  return db.invitation.updateMany({
    where: { id, emailedAt: null },
    data: { emailFailedAt: now, tokenSealed: null },
  });
}

/** Forgets the readable token of an invitation that will not be mailed (revoked, used or expired). */
export function forgetInvitationToken(db: DbTx, id: string) {
  return db.invitation.update({ where: { id }, data: { tokenSealed: null }, select: { id: true } });
}

/** Invitations whose token waits sealed with a key other than `keyId` (after a key rotation). */
export function listTokensNotSealedWith(db: DbTx, keyId: string) {
  return db.invitation.findMany({
    where: { tokenSealed: { not: null }, NOT: { tokenSealed: { startsWith: `${keyId}.` } } },
    select: { id: true, tokenSealed: true },
  });
}

/** Replaces a sealed token, only if unchanged since read (mailed or revoked meanwhile: left alone). */
export function resealToken(db: DbTx, id: string, sealed: string, resealed: string) {
  return db.invitation.updateMany({ where: { id, tokenSealed: sealed }, data: { tokenSealed: resealed } });
}
