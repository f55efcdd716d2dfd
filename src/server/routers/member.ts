import { router } from "@/server/trpc/init";
import { rest } from "@/server/rest/meta";
import { workspaceProcedure } from "@/server/trpc/procedures";
import { fastOutput } from "@/server/trpc/output";
import { okSchema } from "@/shared/schemas/common";
import {
  memberSchema,
  removeMemberInput,
  updateMemberRoleInput,
  workspaceBySlugInput,
} from "@/shared/schemas/workspace";
import { changeRole, leaveWorkspace, listMembers, removeMember } from "@/server/services/members";
import { z } from "zod";

const ok = { ok: true } as const;

export const memberRouter = router({
  /** Everyone in the workspace with their role. Members. */
  list: workspaceProcedure("member.read")
    .meta(rest("GET", "/members", "Members", "List members and their roles"))
    .input(workspaceBySlugInput)
    .output(fastOutput(z.array(memberSchema)))
    .query(({ ctx }) => listMembers(ctx.scope)),
  /** Change a member's role. Owners and admins (never above their own role; never the last owner). */
  updateRole: workspaceProcedure("member.updateRole")
    .meta(rest("PATCH", "/members/{memberId}", "Members", "Change a member's role"))
    .input(updateMemberRoleInput)
    .output(fastOutput(memberSchema))
    .mutation(({ ctx, input }) => changeRole(ctx.scope, input)),
  /** Remove someone else. Owners and admins. */
  remove: workspaceProcedure("member.remove")
    .meta(rest("DELETE", "/members/{memberId}", "Members", "Remove a member"))
    .input(removeMemberInput)
    .output(fastOutput(okSchema))
    .mutation(async ({ ctx, input }) => (await removeMember(ctx.scope, input), ok)),
  /** Leave the workspace yourself. Anyone but the last owner. */
  leave: workspaceProcedure("member.leave")
    .input(workspaceBySlugInput)
    .output(fastOutput(okSchema))
    .mutation(async ({ ctx }) => (await leaveWorkspace(ctx.scope), ok)),
});
