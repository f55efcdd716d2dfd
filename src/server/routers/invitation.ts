import { z } from "zod";
import { router } from "@/server/trpc/init";
import { rest } from "@/server/rest/meta";
import { authedProcedure, publicProcedure, workspaceProcedure } from "@/server/trpc/procedures";
import { fastOutput } from "@/server/trpc/output";
import { okSchema } from "@/shared/schemas/common";
import {
  createInvitationInput,
  invitationPeekSchema,
  invitationPreviewSchema,
  invitationSchema,
  invitationTokenInput,
  acceptMyInvitationInput,
  myInvitationSchema,
  myInvitationsInput,
  myWorkspaceSchema,
  revokeInvitationInput,
  workspaceBySlugInput,
} from "@/shared/schemas/workspace";
import {
  acceptInvitation,
  acceptMyInvitation,
  inviteMember,
  myInvitations,
  listInvitations,
  peekInvitation,
  previewInvitation,
  revokeInvitation,
} from "@/server/services/invitations";

export const invitationRouter = router({
  /** Pending invitations. Owners and admins. */
  list: workspaceProcedure("invitation.read")
    .meta(rest("GET", "/invitations", "Invitations", "List pending invitations"))
    .input(workspaceBySlugInput)
    .output(fastOutput(z.array(invitationSchema)))
    .query(({ ctx }) => listInvitations(ctx.scope)),
  /** Invite an email address with a role; emails a single-use link. Owners and admins. */
  create: workspaceProcedure("member.invite")
    .meta(rest("POST", "/invitations", "Invitations", "Invite someone by email"))
    .input(createInvitationInput)
    .output(fastOutput(invitationSchema))
    .mutation(({ ctx, input }) => inviteMember(ctx.scope, input)),
  /** Withdraw a pending invitation. Owners and admins. */
  revoke: workspaceProcedure("invitation.revoke")
    .meta(rest("DELETE", "/invitations/{invitationId}", "Invitations", "Withdraw an invitation"))
    .input(revokeInvitationInput)
    .output(fastOutput(okSchema))
    .mutation(async ({ ctx, input }) => (await revokeInvitation(ctx.scope, input), { ok: true as const })),
  /** The workspace name and invited address, for the sign-in page. Anyone holding the link (the token is the secret). */
  peek: publicProcedure
    .input(invitationTokenInput)
    .output(fastOutput(invitationPeekSchema))
    .query(({ ctx, input }) => peekInvitation(ctx, input)),
  /** What an invitation link offers. Signed-in holders of the link. */
  preview: authedProcedure
    .input(invitationTokenInput)
    .output(fastOutput(invitationPreviewSchema))
    .query(({ ctx, input }) => previewInvitation(ctx.user, input)),
  /** The signed-in person's pending invitations, to their own address, in every workspace. People. */
  mine: authedProcedure
    .input(myInvitationsInput)
    .output(fastOutput(z.array(myInvitationSchema)))
    .query(({ ctx }) => myInvitations(ctx.user)),
  /** Join from the app (no link needed): only an invitation to the signed-in person's own address. */
  acceptMine: authedProcedure
    .input(acceptMyInvitationInput)
    .output(fastOutput(myWorkspaceSchema))
    .mutation(({ ctx, input }) => acceptMyInvitation(ctx.user, input)),
  /** Join the workspace. The signed-in user whose email the invitation names. */
  accept: authedProcedure
    .input(invitationTokenInput)
    .output(fastOutput(myWorkspaceSchema))
    .mutation(({ ctx, input }) => acceptInvitation(ctx.user, input)),
});
