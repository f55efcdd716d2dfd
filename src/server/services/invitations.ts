/**
 * Invitations: an admin invites an email with a role; the invitee opens the
 * emailed link, signs in with that email, and accepts. Tokens are single use,
 * expire after 7 days, and are stored hashed.
 */
import { AppError } from "@/server/errors";
import { env } from "@/server/env";
import { hashToken, newSecretToken } from "@/server/auth/tokens";
import { configuredKeyring, currentKeyId, decryptSecret, encryptSecret } from "@/server/crypto/secrets";
import type { Key } from "@/server/crypto/keys";
import { enqueue } from "@/server/jobs/queue";
import { sendMail } from "@/server/mail/mailer";
import { invitationEmail } from "@/server/mail/templates";
import { enforceLimits } from "@/server/ratelimit/limiter";
import { outranksOrEquals, type Role } from "@/shared/roles";
import type {
  InvitationDto,
  InvitationPeek,
  InvitationPreview,
  MyInvitation,
  MyWorkspace,
} from "@/shared/schemas/workspace";
import {
  announceToInvitee,
  createInvitation as createInvitationRow,
  findInvitationById,
  findInvitationByTokenHash,
  findInvitationForEmail,
  forgetInvitationToken,
  listPendingInvitations,
  listPendingInvitationsForEmail,
  listTokensNotSealedWith,
  lockInvitationsFor,
  markInvitationAccepted,
  markInvitationEmailed,
  markInvitationEmailFailed as markEmailFailedRow,
  revokeInvitation as revokeInvitationRow,
  resealToken,
  revokePendingForEmail,
} from "@/server/db/invitations";
import { createMembership, findMemberByUser } from "@/server/db/memberships";
import { findUserByEmail, findUserById } from "@/server/db/users";
import { countMembers, findWorkspaceById } from "@/server/db/workspaces";
import type { Db } from "@/server/db/client";
import type { UserContext, WorkspaceContext } from "./context";
import { audit } from "./audit";

export const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

export function invitationUrl(token: string): string {
  return new URL(`/invite/${token}`, env().APP_URL).toString();
}

export async function inviteMember(
  ctx: WorkspaceContext,
  input: { email: string; role: Role },
): Promise<InvitationDto> {
  if (!outranksOrEquals(ctx.role, input.role))
    throw AppError.forbidden("You cannot invite someone with a role higher than your own");
  const existingUser = await findUserByEmail(ctx.db, input.email);
  if (existingUser && (await findMemberByUser(ctx.db, ctx.workspace.id, existingUser.id))) {
    throw new AppError("CONFLICT", "Already a member", { fieldErrors: { email: ["This person is already a member"] } });
  }
  // Per workspace, per inviter across all their workspaces (creating workspaces is free), and per
  // recipient from anyone: no account can turn invitations into a way to mail strangers. The
  // recipient's budget is spent last, only by invitations the sender's own budgets allowed.
  await enforceLimits(
    [
      { policy: "invite", key: `workspace:${ctx.workspace.id}` },
      { policy: "inviteByInviter", key: `user:${ctx.userId}` },
      { policy: "inviteToAddress", key: `email:${input.email}` },
    ],
    "Too many invitations for now; try again later",
  );
  const token = newSecretToken();
  const now = new Date();
  return ctx.db.$transaction(async (tx) => {
    // A new invitation replaces any pending one for the same address (a "resend").
    await lockInvitationsFor(tx, ctx.workspace.id, input.email);
    await revokePendingForEmail(tx, ctx.workspace.id, input.email, now);
    const row = await createInvitationRow(tx, {
      workspaceId: ctx.workspace.id,
      email: input.email,
      role: input.role,
      tokenHash: hashToken(token),
      // Only the job that mails it reads it back; it is forgotten once sent (decision 0035).
      tokenSealed: encryptSecret(token),
      invitedById: ctx.userId,
      expiresAt: new Date(now.getTime() + INVITATION_TTL_MS),
    });
    await audit(tx, ctx, {
      action: "invitation.created",
      entityId: row.id,
      after: { email: input.email, role: input.role },
    });
    // Mailed by the queue, and only if this commits; a mail server that is down delays it.
    await enqueue(tx, "mail.invitation", { invitationId: row.id }, { key: row.id });
    // Someone who already has an account also sees it in the app, at once.
    if (existingUser) await announceToInvitee(tx, existingUser.id);
    return row;
  });
}

/**
 * The `mail.invitation` job: mails the invitation link unless already mailed or no longer usable.
 * Once: the job's id is the invitation's, and the sealed token is dropped when the mail is sent. A
 * worker that dies between sending and recording can send a second copy (at least once, never zero).
 */
export async function sendInvitationEmail(db: Db, invitationId: string): Promise<"sent" | "skipped"> {
  const row = await findInvitationForEmail(db, invitationId);
  if (!row?.tokenSealed || row.emailedAt) return "skipped";
  if (row.acceptedAt || row.revokedAt || row.expiresAt <= new Date()) {
    await forgetInvitationToken(db, row.id);
    return "skipped";
  }
  await sendMail({
    to: row.email,
    ...invitationEmail({
      url: invitationUrl(decryptSecret(row.tokenSealed)),
      workspaceName: row.workspace.name,
      inviterName: row.invitedBy.name ?? row.invitedBy.email,
      role: row.role,
    }),
  });
  await markInvitationEmailed(db, row.id, new Date());
  return "sent";
}

/** The `mail.invitation` job's last attempt failed. */
export async function markInvitationEmailFailed(db: Db, invitationId: string): Promise<void> {
  await markEmailFailedRow(db, invitationId, new Date());
}

/** After a key rotation: tokens still waiting to be mailed are sealed again with the current key. */
export async function reencryptInvitationTokens(db: Db, keyring: Key[] = configuredKeyring()): Promise<number> {
  const stale = await listTokensNotSealedWith(db, currentKeyId(keyring));
  for (const { id, tokenSealed } of stale) {
    if (tokenSealed)
      await resealToken(db, id, tokenSealed, encryptSecret(decryptSecret(tokenSealed, keyring), keyring));
  }
  return stale.length;
}

export function listInvitations(ctx: WorkspaceContext): Promise<InvitationDto[]> {
  return listPendingInvitations(ctx.db, ctx.workspace.id, new Date());
}

export async function revokeInvitation(ctx: WorkspaceContext, input: { invitationId: string }): Promise<void> {
  await ctx.db.$transaction(async (tx) => {
    const { count } = await revokeInvitationRow(tx, ctx.workspace.id, input.invitationId, new Date());
    if (count === 0) throw AppError.notFound("Invitation");
    await audit(tx, ctx, { action: "invitation.revoked", entityId: input.invitationId });
    const row = await findInvitationById(tx, input.invitationId);
    const invitee = row ? await findUserByEmail(tx, row.email) : null;
    if (invitee) await announceToInvitee(tx, invitee.id);
  });
}

type InvitationRow = NonNullable<Awaited<ReturnType<typeof findInvitationByTokenHash>>>;

function statusOf(row: InvitationRow, now: Date): InvitationPreview["status"] {
  if (row.acceptedAt) return "accepted";
  if (row.revokedAt) return "revoked";
  if (row.expiresAt <= now) return "expired";
  return "pending";
}

async function loadByToken(ctx: { db: Db }, token: string): Promise<InvitationRow> {
  const row = await findInvitationByTokenHash(ctx.db, hashToken(token));
  if (!row) throw AppError.notFound("Invitation");
  return row;
}

export async function previewInvitation(ctx: UserContext, input: { token: string }): Promise<InvitationPreview> {
  const row = await loadByToken(ctx, input.token);
  const member = await findMemberByUser(ctx.db, row.workspaceId, ctx.userId);
  return {
    workspace: row.workspace,
    email: row.email,
    role: row.role,
    invitedBy: row.invitedBy.name ?? row.invitedBy.email,
    expiresAt: row.expiresAt,
    status: statusOf(row, new Date()),
    alreadyMember: Boolean(member),
  };
}

/**
 * For someone not signed in yet: the workspace's name and the invited address, so
 * the sign-in page can say what it is for and prefill the address. The token is the
 * secret (256 bits, stored hashed, mailed to that very address): whoever holds it
 * could read the address in the mail anyway, so this reveals nothing new to them and
 * nothing at all to anyone else (an unknown token is NOT_FOUND). No inviter, no role.
 */
export async function peekInvitation(ctx: { db: Db }, input: { token: string }): Promise<InvitationPeek> {
  const row = await loadByToken(ctx, input.token);
  return { workspaceName: row.workspace.name, email: row.email, status: statusOf(row, new Date()) };
}

export async function acceptInvitation(ctx: UserContext, input: { token: string }): Promise<MyWorkspace> {
  return join(ctx, await loadByToken(ctx, input.token));
}

/** The signed-in person's pending invitations (to their own address), in every workspace. */
export async function myInvitations(ctx: UserContext): Promise<MyInvitation[]> {
  const user = await findUserById(ctx.db, ctx.userId);
  if (!user) throw new AppError("UNAUTHORIZED", "Sign in to continue");
  const rows = await listPendingInvitationsForEmail(ctx.db, user.email, new Date());
  return rows.map((row) => ({ ...row, invitedBy: row.invitedBy.name ?? row.invitedBy.email }));
}

/**
 * Joins from the app rather than the emailed link: allowed for the invitation's own address only
 * (the one the person signed in with, which Lanes verified). Anyone else's: as if it did not exist.
 */
export async function acceptMyInvitation(ctx: UserContext, input: { invitationId: string }): Promise<MyWorkspace> {
  const row = await findInvitationById(ctx.db, input.invitationId);
  const user = await findUserById(ctx.db, ctx.userId);
  if (!row || !user || user.email.toLowerCase() !== row.email.toLowerCase()) throw AppError.notFound("Invitation");
  return join(ctx, row);
}

/** Accepts `row` for the signed-in person: single use, their address only, a member once. */
async function join(ctx: UserContext, row: InvitationRow): Promise<MyWorkspace> {
  const now = new Date();
  const status = statusOf(row, now);
  if (status !== "pending")
    throw new AppError("PRECONDITION_FAILED", `This invitation has been ${status === "accepted" ? "used" : status}`);
  const user = await findUserById(ctx.db, ctx.userId);
  if (!user) throw new AppError("UNAUTHORIZED", "Sign in to continue");
  if (user.email.toLowerCase() !== row.email.toLowerCase()) {
    throw AppError.forbidden(`This invitation is for ${row.email}. Sign in with that address to accept it.`);
  }
  return ctx.db.$transaction(async (tx) => {
    if (!(await markInvitationAccepted(tx, row.id, ctx.userId, now))) {
      throw new AppError("PRECONDITION_FAILED", "This invitation has already been used");
    }
    const existing = await findMemberByUser(tx, row.workspaceId, ctx.userId);
    const membership =
      existing ?? (await createMembership(tx, { workspaceId: row.workspaceId, userId: ctx.userId, role: row.role }));
    if (!existing) {
      const scope = { ...ctx, workspace: { id: row.workspaceId } };
      await audit(tx, scope, {
        action: "member.joined",
        entityId: membership.id,
        after: { role: row.role, userId: ctx.userId, invitationId: row.id },
      });
    }
    // The person's other tabs drop it from their list.
    await announceToInvitee(tx, ctx.userId);
    const workspace = await findWorkspaceById(tx, row.workspaceId);
    if (!workspace) throw AppError.notFound("Workspace");
    return { ...workspace, role: membership.role, memberCount: await countMembers(tx, row.workspaceId) };
  });
}
