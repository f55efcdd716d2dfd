import { describe, expect, it } from "vitest";
import { testDb } from "../setup/file-db";
import { TRPCError } from "@trpc/server";
import { addMember, callerFor, makeUser, makeWorkspace, type TestUser, type TestWorkspace } from "../helpers/factories";
import { expectApiError } from "../helpers/errors";
import type { Role } from "@/shared/roles";

/** The membership row id (what member.* procedures call `memberId`). */
async function memberIdOf(ws: TestWorkspace, user: TestUser): Promise<string> {
  const row = await testDb().membership.findUniqueOrThrow({
    where: { workspaceId_userId: { workspaceId: ws.id, userId: user.id } },
    select: { id: true },
  });
  return row.id;
}

async function roleOf(ws: TestWorkspace, user: TestUser): Promise<Role | null> {
  const row = await testDb().membership.findUnique({
    where: { workspaceId_userId: { workspaceId: ws.id, userId: user.id } },
    select: { role: true },
  });
  return row?.role ?? null;
}

async function ownerCount(ws: TestWorkspace): Promise<number> {
  return testDb().membership.count({ where: { workspaceId: ws.id, role: "OWNER" } });
}

function eventsFor(ws: TestWorkspace, action: string) {
  return testDb().activityEvent.findMany({
    where: { workspaceId: ws.id, action },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: {
      action: true,
      actorId: true,
      entityType: true,
      entityId: true,
      before: true,
      after: true,
      requestId: true,
    },
  });
}

function rejectionCode(result: PromiseSettledResult<unknown>): string | null {
  if (result.status === "fulfilled") return null;
  const reason: unknown = result.reason;
  return reason instanceof TRPCError ? reason.code : `non-tRPC error: ${String(reason)}`;
}

describe("member.list", () => {
  it("lists everyone with their role and user, in join order", async () => {
    const ws = await makeWorkspace();
    const admin = await addMember(ws, "ADMIN");
    const member = await addMember(ws, "MEMBER");
    const viewer = await addMember(ws, "VIEWER");

    const list = await callerFor(ws.owner).member.list({ workspaceSlug: ws.slug });

    expect(list.map((m) => [m.user.id, m.role])).toEqual([
      [ws.owner.id, "OWNER"],
      [admin.id, "ADMIN"],
      [member.id, "MEMBER"],
      [viewer.id, "VIEWER"],
    ]);
    expect(list[1]).toMatchObject({
      id: await memberIdOf(ws, admin),
      user: { id: admin.id, email: admin.email, handle: admin.handle },
    });
    expect(list[1]?.joinedAt).toBeInstanceOf(Date);
  });

  it("is readable by a viewer", async () => {
    const ws = await makeWorkspace();
    const viewer = await addMember(ws, "VIEWER");
    const list = await callerFor(viewer).member.list({ workspaceSlug: ws.slug });
    expect(list.map((m) => m.role).sort()).toEqual(["OWNER", "VIEWER"]);
  });

  it("answers UNAUTHORIZED signed out and NOT_FOUND for a non-member", async () => {
    const ws = await makeWorkspace();
    await expectApiError(callerFor(null).member.list({ workspaceSlug: ws.slug }), "UNAUTHORIZED");
    await expectApiError(callerFor(await makeUser()).member.list({ workspaceSlug: ws.slug }), "NOT_FOUND");
    await expectApiError(callerFor(ws.owner).member.list({ workspaceSlug: "no-such-workspace" }), "NOT_FOUND");
  });

  it("rejects bad input with field errors", async () => {
    const ws = await makeWorkspace();
    const caller = callerFor(ws.owner);
    const missing = await expectApiError(caller.member.list({} as never), "BAD_REQUEST");
    expect(missing.data.fieldErrors?.workspaceSlug).toEqual(["Required: the workspace's address"]);
    const badSlug = await expectApiError(caller.member.list({ workspaceSlug: "Not A Slug!" }), "BAD_REQUEST");
    expect(badSlug.data.fieldErrors?.workspaceSlug).toBeDefined();
    const longSlug = await expectApiError(caller.member.list({ workspaceSlug: "a".repeat(10_000) }), "BAD_REQUEST");
    expect(longSlug.data.fieldErrors?.workspaceSlug).toBeDefined();
    const wrongType = await expectApiError(caller.member.list({ workspaceSlug: 7 } as never), "BAD_REQUEST");
    expect(wrongType.data.fieldErrors?.workspaceSlug).toBeDefined();
    const unknown = await expectApiError(
      caller.member.list({ workspaceSlug: ws.slug, extra: true } as never),
      "BAD_REQUEST",
    );
    expect(Object.keys(unknown.data.fieldErrors ?? {})).toContain("");
  });
});

describe("member.updateRole", () => {
  it("lets an owner change a member's role and records member.role_changed", async () => {
    const ws = await makeWorkspace();
    const member = await addMember(ws, "MEMBER");
    const memberId = await memberIdOf(ws, member);

    const updated = await callerFor(ws.owner).member.updateRole({ workspaceSlug: ws.slug, memberId, role: "ADMIN" });

    expect(updated).toMatchObject({ id: memberId, role: "ADMIN", user: { id: member.id, email: member.email } });
    expect(await roleOf(ws, member)).toBe("ADMIN");
    const events = await eventsFor(ws, "member.role_changed");
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      actorId: ws.owner.id,
      entityType: "member",
      entityId: memberId,
      before: { role: "MEMBER", userId: member.id },
      after: { role: "ADMIN", userId: member.id },
    });
    expect(events[0]?.requestId).toEqual(expect.any(String));
    // The member now has admin powers.
    const viewer = await addMember(ws, "VIEWER");
    await expect(
      callerFor(member).member.updateRole({
        workspaceSlug: ws.slug,
        memberId: await memberIdOf(ws, viewer),
        role: "MEMBER",
      }),
    ).resolves.toMatchObject({ role: "MEMBER" });
  });

  it("lets an admin change members, viewers and other admins up to admin", async () => {
    const ws = await makeWorkspace();
    const admin = await addMember(ws, "ADMIN");
    const member = await addMember(ws, "MEMBER");
    const otherAdmin = await addMember(ws, "ADMIN");
    const caller = callerFor(admin);

    await expect(
      caller.member.updateRole({ workspaceSlug: ws.slug, memberId: await memberIdOf(ws, member), role: "VIEWER" }),
    ).resolves.toMatchObject({
      role: "VIEWER",
    });
    await expect(
      caller.member.updateRole({ workspaceSlug: ws.slug, memberId: await memberIdOf(ws, member), role: "ADMIN" }),
    ).resolves.toMatchObject({
      role: "ADMIN",
    });
    await expect(
      caller.member.updateRole({ workspaceSlug: ws.slug, memberId: await memberIdOf(ws, otherAdmin), role: "MEMBER" }),
    ).resolves.toMatchObject({ role: "MEMBER" });

    expect(await roleOf(ws, member)).toBe("ADMIN");
    expect(await roleOf(ws, otherAdmin)).toBe("MEMBER");
    const events = await eventsFor(ws, "member.role_changed");
    expect(events.map((e) => [e.actorId, e.before, e.after])).toEqual([
      [admin.id, { role: "MEMBER", userId: member.id }, { role: "VIEWER", userId: member.id }],
      [admin.id, { role: "VIEWER", userId: member.id }, { role: "ADMIN", userId: member.id }],
      [admin.id, { role: "ADMIN", userId: otherAdmin.id }, { role: "MEMBER", userId: otherAdmin.id }],
    ]);
  });

  it("treats setting the same role as a no-op without an activity event", async () => {
    const ws = await makeWorkspace();
    const member = await addMember(ws, "MEMBER");
    const memberId = await memberIdOf(ws, member);
    await expect(
      callerFor(ws.owner).member.updateRole({ workspaceSlug: ws.slug, memberId, role: "MEMBER" }),
    ).resolves.toMatchObject({
      id: memberId,
      role: "MEMBER",
    });
    expect(await eventsFor(ws, "member.role_changed")).toEqual([]);
  });

  it("rejects bad input with field errors", async () => {
    const ws = await makeWorkspace();
    const member = await addMember(ws, "MEMBER");
    const memberId = await memberIdOf(ws, member);
    const caller = callerFor(ws.owner);

    const empty = await expectApiError(
      caller.member.updateRole({ workspaceSlug: ws.slug, memberId: "", role: "ADMIN" }),
      "BAD_REQUEST",
    );
    expect(empty.data.fieldErrors?.memberId).toEqual(["Required"]);
    const long = await expectApiError(
      caller.member.updateRole({ workspaceSlug: ws.slug, memberId: "x".repeat(10_000), role: "ADMIN" }),
      "BAD_REQUEST",
    );
    expect(long.data.fieldErrors?.memberId).toEqual(["Too long"]);
    const wrongIdType = await expectApiError(
      caller.member.updateRole({ workspaceSlug: ws.slug, memberId: 42, role: "ADMIN" } as never),
      "BAD_REQUEST",
    );
    expect(wrongIdType.data.fieldErrors?.memberId).toBeDefined();
    const missingId = await expectApiError(
      caller.member.updateRole({ workspaceSlug: ws.slug, role: "ADMIN" } as never),
      "BAD_REQUEST",
    );
    expect(missingId.data.fieldErrors?.memberId).toBeDefined();
    const unknownRole = await expectApiError(
      caller.member.updateRole({ workspaceSlug: ws.slug, memberId, role: "SUPERUSER" } as never),
      "BAD_REQUEST",
    );
    expect(unknownRole.data.fieldErrors?.role).toBeDefined();
    const lowerRole = await expectApiError(
      caller.member.updateRole({ workspaceSlug: ws.slug, memberId, role: "admin" } as never),
      "BAD_REQUEST",
    );
    expect(lowerRole.data.fieldErrors?.role).toBeDefined();
    const wrongRoleType = await expectApiError(
      caller.member.updateRole({ workspaceSlug: ws.slug, memberId, role: 1 } as never),
      "BAD_REQUEST",
    );
    expect(wrongRoleType.data.fieldErrors?.role).toBeDefined();
    const unknownField = await expectApiError(
      caller.member.updateRole({ workspaceSlug: ws.slug, memberId, role: "ADMIN", userId: member.id } as never),
      "BAD_REQUEST",
    );
    expect(Object.keys(unknownField.data.fieldErrors ?? {})).toContain("");
    const noSlug = await expectApiError(caller.member.updateRole({ memberId, role: "ADMIN" } as never), "BAD_REQUEST");
    expect(noSlug.data.fieldErrors?.workspaceSlug).toBeDefined();

    expect(await roleOf(ws, member)).toBe("MEMBER");
    expect(await eventsFor(ws, "member.role_changed")).toEqual([]);
  });

  it.each(["VIEWER", "MEMBER"] as const)("answers FORBIDDEN to a %s", async (role) => {
    const ws = await makeWorkspace();
    const actor = await addMember(ws, role);
    const target = await addMember(ws, "VIEWER");
    const caller = callerFor(actor);

    await expectApiError(
      caller.member.updateRole({ workspaceSlug: ws.slug, memberId: await memberIdOf(ws, target), role: "MEMBER" }),
      "FORBIDDEN",
    );
    await expectApiError(
      caller.member.updateRole({ workspaceSlug: ws.slug, memberId: await memberIdOf(ws, actor), role: "ADMIN" }),
      "FORBIDDEN",
    );
    await expectApiError(
      caller.member.updateRole({ workspaceSlug: ws.slug, memberId: await memberIdOf(ws, ws.owner), role: "VIEWER" }),
      "FORBIDDEN",
    );

    expect(await roleOf(ws, target)).toBe("VIEWER");
    expect(await roleOf(ws, actor)).toBe(role);
    expect(await roleOf(ws, ws.owner)).toBe("OWNER");
    expect(await eventsFor(ws, "member.role_changed")).toEqual([]);
  });

  it("does not let an admin demote an owner, grant OWNER, or promote themselves to owner", async () => {
    const ws = await makeWorkspace();
    const admin = await addMember(ws, "ADMIN");
    const member = await addMember(ws, "MEMBER");
    const caller = callerFor(admin);

    const demote = await expectApiError(
      caller.member.updateRole({ workspaceSlug: ws.slug, memberId: await memberIdOf(ws, ws.owner), role: "ADMIN" }),
      "FORBIDDEN",
    );
    expect(demote.message).toBe("You cannot change a member with a higher role than yours");
    const grant = await expectApiError(
      caller.member.updateRole({ workspaceSlug: ws.slug, memberId: await memberIdOf(ws, member), role: "OWNER" }),
      "FORBIDDEN",
    );
    expect(grant.message).toBe("You cannot grant a role higher than your own");
    await expectApiError(
      caller.member.updateRole({ workspaceSlug: ws.slug, memberId: await memberIdOf(ws, admin), role: "OWNER" }),
      "FORBIDDEN",
    );

    expect(await roleOf(ws, ws.owner)).toBe("OWNER");
    expect(await roleOf(ws, member)).toBe("MEMBER");
    expect(await roleOf(ws, admin)).toBe("ADMIN");
    expect(await eventsFor(ws, "member.role_changed")).toEqual([]);
  });

  it("refuses to demote the last owner, but allows it once a second owner exists", async () => {
    const ws = await makeWorkspace();
    const ownerId = await memberIdOf(ws, ws.owner);
    const caller = callerFor(ws.owner);

    const refused = await expectApiError(
      caller.member.updateRole({ workspaceSlug: ws.slug, memberId: ownerId, role: "ADMIN" }),
      "PRECONDITION_FAILED",
    );
    expect(refused.message).toBe("A workspace needs at least one owner. Make someone else an owner first.");
    expect(await roleOf(ws, ws.owner)).toBe("OWNER");
    expect(await eventsFor(ws, "member.role_changed")).toEqual([]);

    const second = await addMember(ws, "MEMBER");
    const secondId = await memberIdOf(ws, second);
    await expect(
      caller.member.updateRole({ workspaceSlug: ws.slug, memberId: secondId, role: "OWNER" }),
    ).resolves.toMatchObject({ role: "OWNER" });
    await expect(
      caller.member.updateRole({ workspaceSlug: ws.slug, memberId: ownerId, role: "MEMBER" }),
    ).resolves.toMatchObject({
      id: ownerId,
      role: "MEMBER",
    });

    expect(await roleOf(ws, ws.owner)).toBe("MEMBER");
    expect(await roleOf(ws, second)).toBe("OWNER");
    expect(await ownerCount(ws)).toBe(1);
    // The new sole owner is now protected in turn.
    await expectApiError(
      callerFor(second).member.updateRole({ workspaceSlug: ws.slug, memberId: secondId, role: "VIEWER" }),
      "PRECONDITION_FAILED",
    );
    const events = await eventsFor(ws, "member.role_changed");
    expect(events.map((e) => [e.entityId, e.before, e.after])).toEqual([
      [secondId, { role: "MEMBER", userId: second.id }, { role: "OWNER", userId: second.id }],
      [ownerId, { role: "OWNER", userId: ws.owner.id }, { role: "MEMBER", userId: ws.owner.id }],
    ]);
  });

  it("lets one owner demote another owner", async () => {
    const ws = await makeWorkspace();
    const coOwner = await addMember(ws, "OWNER");
    await expect(
      callerFor(ws.owner).member.updateRole({
        workspaceSlug: ws.slug,
        memberId: await memberIdOf(ws, coOwner),
        role: "VIEWER",
      }),
    ).resolves.toMatchObject({ role: "VIEWER" });
    expect(await roleOf(ws, coOwner)).toBe("VIEWER");
    expect(await ownerCount(ws)).toBe(1);
  });

  it("answers NOT_FOUND for unknown ids and another workspace's member ids", async () => {
    const a = await makeWorkspace();
    const b = await makeWorkspace();
    const bMember = await addMember(b, "MEMBER");
    const bMemberId = await memberIdOf(b, bMember);
    const bOwnerId = await memberIdOf(b, b.owner);
    const caller = callerFor(a.owner);

    await expectApiError(
      caller.member.updateRole({ workspaceSlug: a.slug, memberId: "does-not-exist", role: "ADMIN" }),
      "NOT_FOUND",
    );
    // A's slug with B's membership id.
    const crossTenant = await expectApiError(
      caller.member.updateRole({ workspaceSlug: a.slug, memberId: bMemberId, role: "ADMIN" }),
      "NOT_FOUND",
    );
    expect(crossTenant.message).toBe("Member not found");
    await expectApiError(
      caller.member.updateRole({ workspaceSlug: a.slug, memberId: bOwnerId, role: "VIEWER" }),
      "NOT_FOUND",
    );
    // B's slug: A's owner is not a member of B.
    const otherSlug = await expectApiError(
      caller.member.updateRole({ workspaceSlug: b.slug, memberId: bMemberId, role: "ADMIN" }),
      "NOT_FOUND",
    );
    expect(otherSlug.message).toBe("Workspace not found");

    expect(await roleOf(b, bMember)).toBe("MEMBER");
    expect(await roleOf(b, b.owner)).toBe("OWNER");
    expect(
      await testDb().activityEvent.count({
        where: { action: "member.role_changed", workspaceId: { in: [a.id, b.id] } },
      }),
    ).toBe(0);
  });

  it("keeps at least one owner when two owners demote each other at the same time", async () => {
    for (let round = 0; round < 5; round++) {
      const ws = await makeWorkspace();
      const other = await addMember(ws, "OWNER");
      const ownerId = await memberIdOf(ws, ws.owner);
      const otherId = await memberIdOf(ws, other);

      const results = await Promise.allSettled([
        callerFor(ws.owner).member.updateRole({ workspaceSlug: ws.slug, memberId: otherId, role: "ADMIN" }),
        callerFor(other).member.updateRole({ workspaceSlug: ws.slug, memberId: ownerId, role: "ADMIN" }),
      ]);

      const fulfilled = results.filter((r) => r.status === "fulfilled");
      expect(fulfilled, `round ${round}: ${results.map(rejectionCode).join(", ")}`).toHaveLength(1);
      const loserCode = results.map(rejectionCode).find((c) => c !== null);
      // The loser either sees the last-owner rule or (if it started after losing its own ownership) lacks the rank.
      expect(["PRECONDITION_FAILED", "FORBIDDEN"]).toContain(loserCode);
      expect(await ownerCount(ws)).toBe(1);
      expect([await roleOf(ws, ws.owner), await roleOf(ws, other)].sort()).toEqual(["ADMIN", "OWNER"]);
      expect(await eventsFor(ws, "member.role_changed")).toHaveLength(1);
    }
  });
});

describe("member.remove", () => {
  it("lets an owner remove a member and records member.removed", async () => {
    const ws = await makeWorkspace();
    const member = await addMember(ws, "MEMBER");
    const memberId = await memberIdOf(ws, member);

    await expect(callerFor(ws.owner).member.remove({ workspaceSlug: ws.slug, memberId })).resolves.toEqual({
      ok: true,
    });

    expect(await roleOf(ws, member)).toBeNull();
    const list = await callerFor(ws.owner).member.list({ workspaceSlug: ws.slug });
    expect(list.map((m) => m.user.id)).toEqual([ws.owner.id]);
    const events = await eventsFor(ws, "member.removed");
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      actorId: ws.owner.id,
      entityType: "member",
      entityId: memberId,
      before: { role: "MEMBER", userId: member.id },
    });
    expect(events[0]?.after).toBeNull();
    // The trail keeps no copy of the removed person's email address.
    expect(JSON.stringify(events[0])).not.toContain(member.email);
    // The removed user has lost access.
    await expectApiError(callerFor(member).member.list({ workspaceSlug: ws.slug }), "NOT_FOUND");
    // Removing again: the membership is gone.
    await expectApiError(callerFor(ws.owner).member.remove({ workspaceSlug: ws.slug, memberId }), "NOT_FOUND");
    expect(await eventsFor(ws, "member.removed")).toHaveLength(1);
  });

  it("lets an admin remove viewers, members and other admins", async () => {
    const ws = await makeWorkspace();
    const admin = await addMember(ws, "ADMIN");
    const targets = [await addMember(ws, "VIEWER"), await addMember(ws, "MEMBER"), await addMember(ws, "ADMIN")];
    const ids = await Promise.all(targets.map((t) => memberIdOf(ws, t)));

    for (const memberId of ids) {
      await expect(callerFor(admin).member.remove({ workspaceSlug: ws.slug, memberId })).resolves.toEqual({ ok: true });
    }

    const remaining = await callerFor(admin).member.list({ workspaceSlug: ws.slug });
    expect(remaining.map((m) => m.user.id).sort()).toEqual([ws.owner.id, admin.id].sort());
    const events = await eventsFor(ws, "member.removed");
    expect(events.map((e) => [e.actorId, e.entityId])).toEqual(ids.map((id) => [admin.id, id]));
    expect(events.map((e) => e.before)).toEqual([
      { role: "VIEWER", userId: targets[0]!.id },
      { role: "MEMBER", userId: targets[1]!.id },
      { role: "ADMIN", userId: targets[2]!.id },
    ]);
  });

  it("lets an owner remove another owner", async () => {
    const ws = await makeWorkspace();
    const coOwner = await addMember(ws, "OWNER");
    await expect(
      callerFor(ws.owner).member.remove({ workspaceSlug: ws.slug, memberId: await memberIdOf(ws, coOwner) }),
    ).resolves.toEqual({ ok: true });
    expect(await roleOf(ws, coOwner)).toBeNull();
    expect(await ownerCount(ws)).toBe(1);
    expect(await eventsFor(ws, "member.removed")).toHaveLength(1);
  });

  it("does not let an admin remove an owner", async () => {
    const ws = await makeWorkspace();
    const admin = await addMember(ws, "ADMIN");
    const coOwner = await addMember(ws, "OWNER");
    for (const owner of [ws.owner, coOwner]) {
      const error = await expectApiError(
        callerFor(admin).member.remove({ workspaceSlug: ws.slug, memberId: await memberIdOf(ws, owner) }),
        "FORBIDDEN",
      );
      expect(error.message).toBe("You cannot change a member with a higher role than yours");
    }
    expect(await ownerCount(ws)).toBe(2);
    expect(await eventsFor(ws, "member.removed")).toEqual([]);
  });

  it.each(["VIEWER", "MEMBER"] as const)("answers FORBIDDEN to a %s", async (role) => {
    const ws = await makeWorkspace();
    const actor = await addMember(ws, role);
    const target = await addMember(ws, "VIEWER");
    for (const victim of [target, ws.owner, actor]) {
      await expectApiError(
        callerFor(actor).member.remove({ workspaceSlug: ws.slug, memberId: await memberIdOf(ws, victim) }),
        "FORBIDDEN",
      );
    }
    expect(await roleOf(ws, target)).toBe("VIEWER");
    expect(await roleOf(ws, actor)).toBe(role);
    expect(await eventsFor(ws, "member.removed")).toEqual([]);
  });

  it.each(["OWNER", "ADMIN"] as const)("refuses to let a %s remove themselves (BAD_REQUEST)", async (role) => {
    const ws = await makeWorkspace();
    const actor = role === "OWNER" ? ws.owner : await addMember(ws, "ADMIN");
    if (role === "OWNER") await addMember(ws, "OWNER"); // not the last owner: the refusal is about "self", not ownership
    const error = await expectApiError(
      callerFor(actor).member.remove({ workspaceSlug: ws.slug, memberId: await memberIdOf(ws, actor) }),
      "BAD_REQUEST",
    );
    expect(error.message).toBe("Use “Leave workspace” to remove yourself");
    expect(await roleOf(ws, actor)).toBe(role);
    expect(await eventsFor(ws, "member.removed")).toEqual([]);
  });

  it("rejects bad input with field errors", async () => {
    const ws = await makeWorkspace();
    const member = await addMember(ws, "MEMBER");
    const memberId = await memberIdOf(ws, member);
    const caller = callerFor(ws.owner);

    const empty = await expectApiError(caller.member.remove({ workspaceSlug: ws.slug, memberId: "" }), "BAD_REQUEST");
    expect(empty.data.fieldErrors?.memberId).toEqual(["Required"]);
    const long = await expectApiError(
      caller.member.remove({ workspaceSlug: ws.slug, memberId: "m".repeat(10_000) }),
      "BAD_REQUEST",
    );
    expect(long.data.fieldErrors?.memberId).toEqual(["Too long"]);
    const wrongType = await expectApiError(
      caller.member.remove({ workspaceSlug: ws.slug, memberId: [memberId] } as never),
      "BAD_REQUEST",
    );
    expect(wrongType.data.fieldErrors?.memberId).toBeDefined();
    const nullId = await expectApiError(
      caller.member.remove({ workspaceSlug: ws.slug, memberId: null } as never),
      "BAD_REQUEST",
    );
    expect(nullId.data.fieldErrors?.memberId).toBeDefined();
    const unknown = await expectApiError(
      caller.member.remove({ workspaceSlug: ws.slug, memberId, force: true } as never),
      "BAD_REQUEST",
    );
    expect(Object.keys(unknown.data.fieldErrors ?? {})).toContain("");

    expect(await roleOf(ws, member)).toBe("MEMBER");
    expect(await eventsFor(ws, "member.removed")).toEqual([]);
  });

  it("answers NOT_FOUND for unknown ids and another workspace's member ids", async () => {
    const a = await makeWorkspace();
    const aAdmin = await addMember(a, "ADMIN");
    const b = await makeWorkspace();
    const bMember = await addMember(b, "MEMBER");
    const bMemberId = await memberIdOf(b, bMember);

    for (const actor of [a.owner, aAdmin]) {
      const caller = callerFor(actor);
      await expectApiError(
        caller.member.remove({ workspaceSlug: a.slug, memberId: "cl0000000000000000000000" }),
        "NOT_FOUND",
      );
      const crossTenant = await expectApiError(
        caller.member.remove({ workspaceSlug: a.slug, memberId: bMemberId }),
        "NOT_FOUND",
      );
      expect(crossTenant.message).toBe("Member not found");
      const otherSlug = await expectApiError(
        caller.member.remove({ workspaceSlug: b.slug, memberId: bMemberId }),
        "NOT_FOUND",
      );
      expect(otherSlug.message).toBe("Workspace not found");
    }

    expect(await roleOf(b, bMember)).toBe("MEMBER");
    expect(
      await testDb().activityEvent.count({ where: { action: "member.removed", workspaceId: { in: [a.id, b.id] } } }),
    ).toBe(0);
  });
});

describe("member.leave", () => {
  it.each(["ADMIN", "MEMBER", "VIEWER"] as const)("lets a %s leave and records member.left", async (role) => {
    const ws = await makeWorkspace();
    const user = await addMember(ws, role);
    const memberId = await memberIdOf(ws, user);

    await expect(callerFor(user).member.leave({ workspaceSlug: ws.slug })).resolves.toEqual({ ok: true });

    expect(await roleOf(ws, user)).toBeNull();
    const events = await eventsFor(ws, "member.left");
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      actorId: user.id,
      entityType: "member",
      entityId: memberId,
      before: { role, userId: user.id },
    });
    await expectApiError(callerFor(user).workspace.get({ workspaceSlug: ws.slug }), "NOT_FOUND");
    await expectApiError(callerFor(user).member.leave({ workspaceSlug: ws.slug }), "NOT_FOUND");
    expect((await callerFor(user).workspace.list()).map((w) => w.id)).not.toContain(ws.id);
    const list = await callerFor(ws.owner).member.list({ workspaceSlug: ws.slug });
    expect(list.map((m) => m.user.id)).toEqual([ws.owner.id]);
  });

  it("refuses to let the last owner leave, but allows it once a second owner exists", async () => {
    const ws = await makeWorkspace();
    const member = await addMember(ws, "MEMBER");
    const caller = callerFor(ws.owner);

    const refused = await expectApiError(caller.member.leave({ workspaceSlug: ws.slug }), "PRECONDITION_FAILED");
    expect(refused.message).toBe("A workspace needs at least one owner. Make someone else an owner first.");
    expect(await roleOf(ws, ws.owner)).toBe("OWNER");
    expect(await eventsFor(ws, "member.left")).toEqual([]);

    await caller.member.updateRole({ workspaceSlug: ws.slug, memberId: await memberIdOf(ws, member), role: "OWNER" });
    const ownerMemberId = await memberIdOf(ws, ws.owner);
    await expect(caller.member.leave({ workspaceSlug: ws.slug })).resolves.toEqual({ ok: true });

    expect(await roleOf(ws, ws.owner)).toBeNull();
    expect(await roleOf(ws, member)).toBe("OWNER");
    const events = await eventsFor(ws, "member.left");
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      actorId: ws.owner.id,
      entityId: ownerMemberId,
      before: { role: "OWNER", userId: ws.owner.id },
    });
    // And the new sole owner cannot leave.
    await expectApiError(callerFor(member).member.leave({ workspaceSlug: ws.slug }), "PRECONDITION_FAILED");
  });

  it("answers UNAUTHORIZED signed out, NOT_FOUND for non-members, BAD_REQUEST for bad input", async () => {
    const ws = await makeWorkspace();
    await expectApiError(callerFor(null).member.leave({ workspaceSlug: ws.slug }), "UNAUTHORIZED");
    await expectApiError(callerFor(await makeUser()).member.leave({ workspaceSlug: ws.slug }), "NOT_FOUND");
    const member = await addMember(ws, "MEMBER");
    const unknown = await expectApiError(
      callerFor(member).member.leave({ workspaceSlug: ws.slug, memberId: "x" } as never),
      "BAD_REQUEST",
    );
    expect(Object.keys(unknown.data.fieldErrors ?? {})).toContain("");
    const empty = await expectApiError(callerFor(member).member.leave({ workspaceSlug: "" }), "BAD_REQUEST");
    expect(empty.data.fieldErrors?.workspaceSlug).toBeDefined();
    expect(await roleOf(ws, member)).toBe("MEMBER");
    expect(await eventsFor(ws, "member.left")).toEqual([]);
  });

  it("keeps at least one owner when two owners leave at the same time", async () => {
    for (let round = 0; round < 5; round++) {
      const ws = await makeWorkspace();
      const other = await addMember(ws, "OWNER");

      const results = await Promise.allSettled([
        callerFor(ws.owner).member.leave({ workspaceSlug: ws.slug }),
        callerFor(other).member.leave({ workspaceSlug: ws.slug }),
      ]);

      expect(
        results.filter((r) => r.status === "fulfilled"),
        `round ${round}: ${results.map(rejectionCode).join(", ")}`,
      ).toHaveLength(1);
      expect(results.map(rejectionCode).filter((c) => c !== null)).toEqual(["PRECONDITION_FAILED"]);
      expect(await ownerCount(ws)).toBe(1);
      expect(await testDb().membership.count({ where: { workspaceId: ws.id } })).toBe(1);
      expect(await eventsFor(ws, "member.left")).toHaveLength(1);
    }
  });
});
