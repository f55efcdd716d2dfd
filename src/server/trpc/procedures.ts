/**
 * The three kinds of procedure. Every procedure in src/server/routers starts
 * from one of these, so its authorization decision is visible where it is defined:
 *   publicProcedure                  anyone
 *   authedProcedure                  a signed-in user
 *   workspaceProcedure("task.create")  a member whose role has that permission
 */
import { z } from "zod";
import { baseProcedure, t } from "./init";
import { toTRPCError } from "./errors";
import { AppError } from "@/server/errors";
import { can, type Permission } from "@/shared/roles";
import { workspaceSlugSchema } from "@/shared/schemas/common";
import { findMembershipBySlug } from "@/server/db/memberships";
import type { UserContext, WorkspaceContext } from "@/server/services/context";

export const publicProcedure = baseProcedure;

export const authedProcedure = baseProcedure.use(({ ctx, next }) => {
  if (!ctx.viewer) throw toTRPCError(new AppError("UNAUTHORIZED", "Sign in to continue"));
  const user: UserContext = { db: ctx.db, userId: ctx.viewer.userId, requestId: ctx.requestId, log: ctx.log };
  return next({ ctx: { ...ctx, viewer: ctx.viewer, user } });
});

const slugOnly = z.object({ workspaceSlug: workspaceSlugSchema });

/**
 * Loads the caller's membership of `input.workspaceSlug` once per call and
 * checks `permission` against the permission table. Not a member → NOT_FOUND
 * (another tenant's workspace is indistinguishable from a missing one).
 */
export function workspaceProcedure(permission: Permission) {
  return authedProcedure.use(async ({ ctx, getRawInput, next }) => {
    const parsed = slugOnly.safeParse(await getRawInput());
    if (!parsed.success) {
      throw toTRPCError(AppError.badRequest("Invalid input", { workspaceSlug: ["Required: the workspace's address"] }));
    }
    const membership = await findMembershipBySlug(ctx.db, ctx.viewer.userId, parsed.data.workspaceSlug);
    if (!membership) throw toTRPCError(AppError.notFound("Workspace"));
    if (!can(membership.role, permission)) throw toTRPCError(AppError.forbidden());
    const scope: WorkspaceContext = {
      db: ctx.db,
      userId: ctx.viewer.userId,
      role: membership.role,
      membershipId: membership.id,
      workspace: membership.workspace,
      requestId: ctx.requestId,
      log: ctx.log,
    };
    return next({ ctx: { ...ctx, scope } });
  });
}

export { t };
