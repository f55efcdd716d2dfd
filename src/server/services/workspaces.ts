/** Workspaces: create, list mine, read, rename. */
import { AppError } from "@/server/errors";
import {
  createWorkspaceWithOwner,
  isSlugTaken,
  listWorkspacesOfUser,
  countMembers,
  renameWorkspace as renameWorkspaceRow,
} from "@/server/db/workspaces";
import type { CreateWorkspaceInput, MyWorkspace } from "@/shared/schemas/workspace";
import type { UserContext, WorkspaceContext } from "./context";
import { audit } from "./audit";
import { cacheKeys, invalidateCache } from "@/server/cache/cache";
import { isUniqueViolation } from "@/server/db/errors";
import { enforceLimits } from "@/server/ratelimit/limiter";

const SLUG_TAKEN = () =>
  new AppError("CONFLICT", "That address is taken", { fieldErrors: { slug: ["That address is taken; try another"] } });

export async function createWorkspace(ctx: UserContext, input: CreateWorkspaceInput): Promise<MyWorkspace> {
  // A taken address is answered before the daily budget is spent (the insert below still catches a race).
  if (await isSlugTaken(ctx.db, input.slug)) throw SLUG_TAKEN();
  await enforceLimits(
    [{ policy: "workspaceCreate", key: `user:${ctx.userId}` }],
    "You have created many workspaces today; try again tomorrow",
  );
  try {
    return await ctx.db.$transaction(async (tx) => {
      const workspace = await createWorkspaceWithOwner(tx, { name: input.name, slug: input.slug, ownerId: ctx.userId });
      await audit(
        tx,
        { ...ctx, workspace },
        { action: "workspace.created", entityId: workspace.id, after: { name: workspace.name, slug: workspace.slug } },
      );
      return { ...workspace, role: "OWNER" as const, memberCount: 1 };
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw SLUG_TAKEN();
    throw error;
  }
}

export async function listMyWorkspaces(ctx: UserContext): Promise<MyWorkspace[]> {
  const rows = await listWorkspacesOfUser(ctx.db, ctx.userId);
  return rows.map(({ role, workspace: { _count, ...workspace } }) => ({
    ...workspace,
    role,
    memberCount: _count.memberships,
  }));
}

export async function getWorkspace(ctx: WorkspaceContext): Promise<MyWorkspace> {
  const memberCount = await countMembers(ctx.db, ctx.workspace.id);
  return { ...ctx.workspace, role: ctx.role, memberCount };
}

export async function renameWorkspace(ctx: WorkspaceContext, input: { name: string }): Promise<MyWorkspace> {
  const renamed = await ctx.db.$transaction(async (tx) => {
    const workspace = await renameWorkspaceRow(tx, ctx.workspace.id, input.name);
    await audit(tx, ctx, {
      action: "workspace.renamed",
      entityId: ctx.workspace.id,
      before: { name: ctx.workspace.name },
      after: { name: workspace.name },
    });
    const memberCount = await countMembers(tx, ctx.workspace.id);
    return { ...workspace, role: ctx.role, memberCount };
  });
  await invalidateCache([cacheKeys.workspace(ctx.workspace.slug)]);
  return renamed;
}
