import { z } from "zod";
import { router } from "@/server/trpc/init";
import { rest } from "@/server/rest/meta";
import { authedProcedure, workspaceProcedure } from "@/server/trpc/procedures";
import {
  createWorkspaceInput,
  myWorkspaceSchema,
  renameWorkspaceInput,
  workspaceBySlugInput,
} from "@/shared/schemas/workspace";
import { createWorkspace, getWorkspace, listMyWorkspaces, renameWorkspace } from "@/server/services/workspaces";

export const workspaceRouter = router({
  /** Workspaces the caller belongs to, with their role. Signed-in users. */
  list: authedProcedure
    .input(z.void())
    .output(z.array(myWorkspaceSchema))
    .query(({ ctx }) => listMyWorkspaces(ctx.user)),
  /** Create a workspace; the caller becomes its owner. Signed-in users. */
  create: authedProcedure
    .input(createWorkspaceInput)
    .output(myWorkspaceSchema)
    .mutation(({ ctx, input }) => createWorkspace(ctx.user, input)),
  /** One workspace by slug. Members. */
  get: workspaceProcedure("workspace.read")
    .meta(rest("GET", "", "Workspace", "Get the workspace"))
    .input(workspaceBySlugInput)
    .output(myWorkspaceSchema)
    .query(({ ctx }) => getWorkspace(ctx.scope)),
  /** Rename. Owners and admins. */
  rename: workspaceProcedure("workspace.update")
    .meta(rest("PATCH", "", "Workspace", "Rename the workspace"))
    .input(renameWorkspaceInput)
    .output(myWorkspaceSchema)
    .mutation(({ ctx, input }) => renameWorkspace(ctx.scope, input)),
});
