/**
 * Members and roles. Rules beyond the permission table:
 * - nobody changes or removes someone who outranks them, or grants a role above their own;
 * - a workspace always keeps at least one owner (the last owner cannot leave or be demoted).
 */
import { AppError } from "@/server/errors";
import { outranksOrEquals, type Role } from "@/shared/roles";
import type { MemberDto } from "@/shared/schemas/workspace";
import {
  countOwners,
  deleteMembership,
  findMember,
  listMembers as listMemberRows,
  lockOwners,
  updateMemberRole,
  type MemberRow,
} from "@/server/db/memberships";
import type { DbTx } from "@/server/db/client";
import type { WorkspaceContext } from "./context";
import { audit } from "./audit";
import { cacheKeys, invalidateCache } from "@/server/cache/cache";

export function toMemberDto(row: MemberRow): MemberDto {
  return { id: row.id, role: row.role, joinedAt: row.createdAt, user: row.user };
}

export async function listMembers(ctx: WorkspaceContext): Promise<MemberDto[]> {
  return (await listMemberRows(ctx.db, ctx.workspace.id)).map(toMemberDto);
}

const LAST_OWNER = "A workspace needs at least one owner. Make someone else an owner first.";

async function assertNotLastOwner(tx: DbTx, workspaceId: string, target: MemberRow): Promise<void> {
  if (target.role !== "OWNER") return;
  await lockOwners(tx, workspaceId);
  if ((await countOwners(tx, workspaceId)) <= 1) throw new AppError("PRECONDITION_FAILED", LAST_OWNER);
}

function assertMayManage(actorRole: Role, target: MemberRow, newRole?: Role): void {
  if (!outranksOrEquals(actorRole, target.role))
    throw AppError.forbidden("You cannot change a member with a higher role than yours");
  if (newRole && !outranksOrEquals(actorRole, newRole))
    throw AppError.forbidden("You cannot grant a role higher than your own");
}

/** The member's next request, on any instance, acts with what changed (not a cached role). */
function forgetMembership(ctx: WorkspaceContext, userId: string): Promise<void> {
  return invalidateCache([cacheKeys.membership(ctx.workspace.slug, userId)]);
}

export async function changeRole(ctx: WorkspaceContext, input: { memberId: string; role: Role }): Promise<MemberDto> {
  const member = await ctx.db.$transaction(async (tx) => {
    const target = await findMember(tx, ctx.workspace.id, input.memberId);
    if (!target) throw AppError.notFound("Member");
    assertMayManage(ctx.role, target, input.role);
    if (target.role === input.role) return toMemberDto(target);
    if (input.role !== "OWNER") await assertNotLastOwner(tx, ctx.workspace.id, target);
    const updated = await updateMemberRole(tx, ctx.workspace.id, target.id, input.role);
    await audit(tx, ctx, {
      action: "member.role_changed",
      entityId: target.id,
      before: { role: target.role, userId: target.user.id },
      after: { role: input.role, userId: target.user.id },
    });
    return toMemberDto(updated);
  });
  await forgetMembership(ctx, member.user.id);
  return member;
}

export async function removeMember(ctx: WorkspaceContext, input: { memberId: string }): Promise<void> {
  if (input.memberId === ctx.membershipId) throw AppError.badRequest("Use “Leave workspace” to remove yourself");
  const removed = await ctx.db.$transaction(async (tx) => {
    const target = await findMember(tx, ctx.workspace.id, input.memberId);
    if (!target) throw AppError.notFound("Member");
    assertMayManage(ctx.role, target);
    await assertNotLastOwner(tx, ctx.workspace.id, target);
    await deleteMembership(tx, ctx.workspace.id, target.id);
    await audit(tx, ctx, {
      action: "member.removed",
      entityId: target.id,
      before: { role: target.role, userId: target.user.id },
    });
    return target;
  });
  await forgetMembership(ctx, removed.user.id);
}

export async function leaveWorkspace(ctx: WorkspaceContext): Promise<void> {
  await ctx.db.$transaction(async (tx) => {
    const self = await findMember(tx, ctx.workspace.id, ctx.membershipId);
    if (!self) throw AppError.notFound("Member");
    await assertNotLastOwner(tx, ctx.workspace.id, self);
    await deleteMembership(tx, ctx.workspace.id, self.id);
    await audit(tx, ctx, { action: "member.left", entityId: self.id, before: { role: self.role, userId: ctx.userId } });
  });
  await forgetMembership(ctx, ctx.userId);
}
