import { z } from "zod";
import { idSchema, inWorkspace, nameSchema, newSlugSchema, roleSchema, userSummarySchema, emailSchema } from "./common";

export const workspaceSchema = z.object({
  id: z.string(),
  slug: z.string(),
  name: z.string(),
  createdAt: z.date(),
});

/** A workspace as one of its members sees it: with their own role. */
export const myWorkspaceSchema = workspaceSchema.extend({ role: roleSchema, memberCount: z.number().int() });
export type MyWorkspace = z.infer<typeof myWorkspaceSchema>;

export const createWorkspaceInput = z.strictObject({ name: nameSchema, slug: newSlugSchema });
export type CreateWorkspaceInput = z.infer<typeof createWorkspaceInput>;

export const renameWorkspaceInput = inWorkspace({ name: nameSchema });

export const workspaceBySlugInput = inWorkspace({});

// ── members ──
export const memberSchema = z.object({
  id: z.string(),
  role: roleSchema,
  joinedAt: z.date(),
  user: userSummarySchema,
});
export type MemberDto = z.infer<typeof memberSchema>;

export const updateMemberRoleInput = inWorkspace({ memberId: idSchema, role: roleSchema });
export const removeMemberInput = inWorkspace({ memberId: idSchema });

// ── invitations ──
export const invitationSchema = z.object({
  id: z.string(),
  email: z.string(),
  role: roleSchema,
  expiresAt: z.date(),
  createdAt: z.date(),
  /** When the invitation email went out; null while it waits in the queue (or its retries gave up). */
  emailedAt: z.date().nullable(),
  /** When sending gave up after every retry: the address may be wrong, or mail is down; invite again. */
  emailFailedAt: z.date().nullable(),
  invitedBy: userSummarySchema,
});
export type InvitationDto = z.infer<typeof invitationSchema>;

export const createInvitationInput = inWorkspace({ email: emailSchema, role: roleSchema.default("MEMBER") });
export const revokeInvitationInput = inWorkspace({ invitationId: idSchema });

/** Invitation tokens are 43-character base64url strings. */
export const invitationTokenSchema = z
  .string()
  .min(20)
  .max(128)
  .regex(/^[A-Za-z0-9_-]+$/, "Malformed invitation link");
export const invitationTokenInput = z.strictObject({ token: invitationTokenSchema });

/** What the accept page shows before the person accepts. */
export const invitationPreviewSchema = z.object({
  workspace: z.object({ name: z.string(), slug: z.string() }),
  email: z.string(),
  role: roleSchema,
  invitedBy: z.string(),
  expiresAt: z.date(),
  status: z.enum(["pending", "accepted", "expired", "revoked"]),
  /** Whether the signed-in user is already a member. */
  alreadyMember: z.boolean(),
});
export type InvitationPreview = z.infer<typeof invitationPreviewSchema>;

/**
 * What a signed-out holder of an invitation link sees on the sign-in page: the
 * workspace's name and the invited address (to prefill the form). Nothing else.
 */
export const invitationPeekSchema = z.object({
  workspaceName: z.string(),
  email: z.string(),
  status: invitationPreviewSchema.shape.status,
});
export type InvitationPeek = z.infer<typeof invitationPeekSchema>;

/** A pending invitation to the signed-in person's own address (shown in the app, joinable there). */
export const myInvitationSchema = z.object({
  id: z.string(),
  workspace: z.object({ name: z.string(), slug: z.string() }),
  role: roleSchema,
  /** The inviter's display name only (as the invitation link's page shows): not yet a fellow member. */
  invitedBy: z.string(),
  expiresAt: z.date(),
});
export type MyInvitation = z.infer<typeof myInvitationSchema>;
export const myInvitationsInput = z.void();
export const acceptMyInvitationInput = z.strictObject({ invitationId: idSchema });
