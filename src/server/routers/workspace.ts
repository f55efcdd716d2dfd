import { z } from "zod";
import { router } from "@/server/trpc/init";
import { rest } from "@/server/rest/meta";
import { authedProcedure, workspaceProcedure } from "@/server/trpc/procedures";
import { fastOutput } from "@/server/trpc/output";
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
    .output(fastOutput(z.array(myWorkspaceSchema)))
    .query(({ ctx }) => listMyWorkspaces(ctx.user)),
  /** Create a workspace; the caller becomes its owner. Signed-in users. */
  create: authedProcedure
    .input(createWorkspaceInput)
    .output(fastOutput(myWorkspaceSchema))
    .mutation(({ ctx, input }) => createWorkspace(ctx.user, input)),
  /** One workspace by slug. Members. */
  get: workspaceProcedure("workspace.read")
    .meta(rest("GET", "", "Workspace", "Get the workspace"))
    .input(workspaceBySlugInput)
    .output(fastOutput(myWorkspaceSchema))
    .query(({ ctx }) => getWorkspace(ctx.scope)),
  /** Rename. Owners and admins. */
  rename: workspaceProcedure("workspace.update")
    .meta(rest("PATCH", "", "Workspace", "Rename the workspace"))
    .input(renameWorkspaceInput)
    .output(fastOutput(myWorkspaceSchema))
    .mutation(({ ctx, input }) => renameWorkspace(ctx.scope, input)),
});
