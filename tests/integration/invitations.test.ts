import { describe, expect, it } from "vitest";
import { testDb } from "../setup/file-db";
import { createHash, randomBytes } from "node:crypto";
import { TRPCError } from "@trpc/server";
import {
  addMember,
  callerFor,
  makeUser,
  makeWorkspace,
  uid,
  type TestUser,
  type TestWorkspace,
} from "../helpers/factories";
import { expectApiError } from "../helpers/errors";
import { runQueuedJobs } from "../helpers/queued-jobs";
import { jobIdFor } from "@/server/jobs/queue";
import { JOBS } from "@/server/jobs/definitions";
import { configuredKeyring, decryptSecret, encryptSecret } from "@/server/crypto/secrets";
import { reencryptInvitationTokens } from "@/server/services/invitations";
import { assignInitialHandle } from "@/server/services/users";
import type { Role } from "@/shared/roles";

const INVITE_URL = /https?:\/\/[^\s/]+\/invite\/([A-Za-z0-9_-]+)/;
const SEVEN_DAYS_MS = 7 * 24 * 60 * 60 * 1000;

function freshEmail(prefix = "invitee"): string {
  return `${prefix}-${uid()}@example.test`;
}

/** A user who signed up with exactly this email (as Auth.js would create them). */
async function userWithEmail(email: string): Promise<TestUser> {
  const user = await testDb().user.create({
    data: { email, emailVerified: new Date() },
    select: { id: true, email: true },
  });
  const handle = await assignInitialHandle(testDb(), { id: user.id, email, name: null });
  return { ...user, handle };
}

/** The mail this address has received once the queue has run (newest first). */
async function mailTo(email: string) {
  await runQueuedJobs("mail.invitation");
  return testDb().mailboxMessage.findMany({
    where: { to: email.toLowerCase() },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    select: { to: true, subject: true, text: true, html: true },
  });
}

/** The token from the newest invitation email sent to this address (after the queue has run). */
async function tokenFromMailbox(email: string): Promise<string> {
  const [latest] = await mailTo(email);
  if (!latest) throw new Error(`no mail to ${email}`);
  const match = INVITE_URL.exec(latest.text);
  if (!match?.[1]) throw new Error(`no /invite/<token> URL in: ${latest.text}`);
  return match[1];
}

async function invite(actor: TestUser, ws: TestWorkspace, email: string, role?: Role) {
  const invitation = await callerFor(actor).invitation.create({
    workspaceSlug: ws.slug,
    email,
    ...(role ? { role } : {}),
  });
  const token = await tokenFromMailbox(email);
  return { invitation, token };
}

async function queuedInvitationMail(invitationId: string) {
  return testDb().$queryRaw<Array<{ state: string; data: unknown }>>`
    SELECT state::text, data FROM pgboss.job WHERE id = ${jobIdFor("mail.invitation", invitationId)}::uuid`;
}

function eventsFor(workspaceId: string, action: string) {
  return testDb().activityEvent.findMany({
    where: { workspaceId, action },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: { actorId: true, entityType: true, entityId: true, before: true, after: true },
  });
}

async function membershipOf(ws: TestWorkspace, user: TestUser) {
  return testDb().membership.findUnique({
    where: { workspaceId_userId: { workspaceId: ws.id, userId: user.id } },
    select: { id: true, role: true },
  });
}

function sha256(s: string): string {
  return createHash("sha256").update(s).digest("hex");
}

describe("invitation flow", () => {
  it("an admin invites an email; the invitee previews, accepts and becomes a member with the invited role", async () => {
    const ws = await makeWorkspace();
    const admin = await addMember(ws, "ADMIN");
    const email = freshEmail();

    const { name: adminName } = await testDb().user.findUniqueOrThrow({
      where: { id: admin.id },
      select: { name: true },
    });
    expect(adminName).toEqual(expect.any(String));

    const created = await callerFor(admin).invitation.create({ workspaceSlug: ws.slug, email, role: "ADMIN" });
    expect(created).toMatchObject({
      email,
      role: "ADMIN",
      invitedBy: { id: admin.id, email: admin.email, name: adminName },
    });
    const ttl = created.expiresAt.getTime() - created.createdAt.getTime();
    expect(Math.abs(ttl - SEVEN_DAYS_MS)).toBeLessThan(60_000);

    // Nothing mailed by the request itself: one job waits for it, and the token waits sealed.
    expect(await testDb().mailboxMessage.count({ where: { to: email } })).toBe(0);
    expect(await queuedInvitationMail(created.id)).toEqual([{ state: "created", data: { invitationId: created.id } }]);
    expect(created.emailedAt).toBeNull();
    expect(await runQueuedJobs("mail.invitation")).toBeGreaterThanOrEqual(1);

    // Exactly one email, to that address, carrying the link.
    const mails = await mailTo(email);
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ to: email, subject: `Join Workspace ${ws.slug} on Lanes` });
    expect(mails[0]?.text).toContain(`${adminName} invited you to join Workspace ${ws.slug} on Lanes as admin.`);
    const token = await tokenFromMailbox(email);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(mails[0]?.html).toContain(`/invite/${token}`);

    // Stored hashed, never in clear; once mailed, the sealed copy is gone too.
    const row = await testDb().invitation.findUniqueOrThrow({ where: { id: created.id } });
    expect(row.tokenHash).toBe(sha256(token));
    expect(row.tokenHash).not.toContain(token);
    expect(row.tokenSealed).toBeNull();
    expect(row.emailedAt).toEqual(expect.any(Date));
    expect(row).toMatchObject({
      workspaceId: ws.id,
      email,
      role: "ADMIN",
      invitedById: admin.id,
      acceptedAt: null,
      revokedAt: null,
    });

    const invitationEvents = await eventsFor(ws.id, "invitation.created");
    expect(invitationEvents).toEqual([
      {
        actorId: admin.id,
        entityType: "invitation",
        entityId: created.id,
        before: null,
        after: { email, role: "ADMIN" },
      },
    ]);
    expect((await callerFor(ws.owner).invitation.list({ workspaceSlug: ws.slug })).map((i) => i.id)).toEqual([
      created.id,
    ]);

    // The invitee signs up with that address.
    const invitee = await userWithEmail(email);
    const preview = await callerFor(invitee).invitation.preview({ token });
    expect(preview).toEqual({
      workspace: { name: `Workspace ${ws.slug}`, slug: ws.slug },
      email,
      role: "ADMIN",
      invitedBy: adminName,
      expiresAt: created.expiresAt,
      status: "pending",
      alreadyMember: false,
    });

    const joined = await callerFor(invitee).invitation.accept({ token });
    expect(joined).toMatchObject({
      id: ws.id,
      slug: ws.slug,
      name: `Workspace ${ws.slug}`,
      role: "ADMIN",
      memberCount: 3,
    });

    const membership = await membershipOf(ws, invitee);
    expect(membership?.role).toBe("ADMIN");
    const members = await callerFor(ws.owner).member.list({ workspaceSlug: ws.slug });
    expect(members.find((m) => m.user.id === invitee.id)?.role).toBe("ADMIN");
    await expect(callerFor(invitee).workspace.get({ workspaceSlug: ws.slug })).resolves.toMatchObject({
      role: "ADMIN",
    });

    const accepted = await testDb().invitation.findUniqueOrThrow({ where: { id: created.id } });
    expect(accepted.acceptedById).toBe(invitee.id);
    expect(accepted.acceptedAt).toBeInstanceOf(Date);
    expect(await eventsFor(ws.id, "member.joined")).toEqual([
      {
        actorId: invitee.id,
        entityType: "member",
        entityId: membership?.id,
        before: null,
        after: { role: "ADMIN", userId: invitee.id, invitationId: created.id },
      },
    ]);
    expect(await callerFor(ws.owner).invitation.list({ workspaceSlug: ws.slug })).toEqual([]);
    await expect(callerFor(invitee).invitation.preview({ token })).resolves.toMatchObject({
      status: "accepted",
      alreadyMember: true,
    });
  });

  it("defaults the role to MEMBER", async () => {
    const ws = await makeWorkspace();
    const email = freshEmail();
    const { invitation, token } = await invite(ws.owner, ws, email);
    expect(invitation.role).toBe("MEMBER");
    const invitee = await userWithEmail(email);
    await expect(callerFor(invitee).invitation.accept({ token })).resolves.toMatchObject({
      role: "MEMBER",
      memberCount: 2,
    });
    expect((await membershipOf(ws, invitee))?.role).toBe("MEMBER");
  });

  it("lets an owner invite another owner", async () => {
    const ws = await makeWorkspace();
    const email = freshEmail();
    const { token } = await invite(ws.owner, ws, email, "OWNER");
    const invitee = await userWithEmail(email);
    await expect(callerFor(invitee).invitation.accept({ token })).resolves.toMatchObject({ role: "OWNER" });
    expect(await testDb().membership.count({ where: { workspaceId: ws.id, role: "OWNER" } })).toBe(2);
  });

  it("normalises the address: a mixed-case invitation reaches and admits the lower-case account", async () => {
    const ws = await makeWorkspace();
    const local = `Mixed.Case-${uid()}`;
    const created = await callerFor(ws.owner).invitation.create({
      workspaceSlug: ws.slug,
      email: `  ${local}@Example.TEST `,
      role: "VIEWER",
    });
    const email = `${local.toLowerCase()}@example.test`;
    expect(created.email).toBe(email);
    const token = await tokenFromMailbox(email);
    const invitee = await userWithEmail(email);
    await expect(callerFor(invitee).invitation.accept({ token })).resolves.toMatchObject({ role: "VIEWER" });
  });

  it("is single use: a second accept answers PRECONDITION_FAILED", async () => {
    const ws = await makeWorkspace();
    const email = freshEmail();
    const { token } = await invite(ws.owner, ws, email, "MEMBER");
    const invitee = await userWithEmail(email);
    await callerFor(invitee).invitation.accept({ token });

    const again = await expectApiError(callerFor(invitee).invitation.accept({ token }), "PRECONDITION_FAILED");
    expect(again.message).toBe("This invitation has been used");
    expect(await testDb().membership.count({ where: { workspaceId: ws.id, userId: invitee.id } })).toBe(1);
    expect(await eventsFor(ws.id, "member.joined")).toHaveLength(1);
  });

  it("keeps an existing membership when the invitee already joined another way", async () => {
    const ws = await makeWorkspace();
    const email = freshEmail();
    const { invitation, token } = await invite(ws.owner, ws, email, "ADMIN");
    const invitee = await userWithEmail(email);
    await addMember(ws, "VIEWER", invitee);

    await expect(callerFor(invitee).invitation.preview({ token })).resolves.toMatchObject({
      status: "pending",
      alreadyMember: true,
    });
    await expect(callerFor(invitee).invitation.accept({ token })).resolves.toMatchObject({
      role: "VIEWER",
      memberCount: 2,
    });
    expect((await membershipOf(ws, invitee))?.role).toBe("VIEWER");
    expect(await eventsFor(ws.id, "member.joined")).toEqual([]);
    expect((await testDb().invitation.findUniqueOrThrow({ where: { id: invitation.id } })).acceptedById).toBe(
      invitee.id,
    );
  });

  it("lets exactly one of two concurrent accepts of the same token succeed", async () => {
    for (let round = 0; round < 5; round++) {
      const ws = await makeWorkspace();
      const email = freshEmail();
      const { token } = await invite(ws.owner, ws, email, "MEMBER");
      const invitee = await userWithEmail(email);

      const results = await Promise.allSettled([
        callerFor(invitee).invitation.accept({ token }),
        callerFor(invitee).invitation.accept({ token }),
      ]);

      const codes = results.map((r) =>
        r.status === "fulfilled" ? "ok" : r.reason instanceof TRPCError ? r.reason.code : `other: ${String(r.reason)}`,
      );
      expect(codes.sort(), `round ${round}`).toEqual(["PRECONDITION_FAILED", "ok"]);
      expect(await testDb().membership.count({ where: { workspaceId: ws.id, userId: invitee.id } })).toBe(1);
      expect(await eventsFor(ws.id, "member.joined")).toHaveLength(1);
    }
  });
});

describe("invitation.accept / preview refusals", () => {
  it("refuses an expired invitation (PRECONDITION_FAILED) and drops it from the pending list", async () => {
    const ws = await makeWorkspace();
    const email = freshEmail();
    const { invitation, token } = await invite(ws.owner, ws, email);
    await testDb().invitation.update({
      where: { id: invitation.id },
      data: { expiresAt: new Date(Date.now() - 60_000) },
    });
    const invitee = await userWithEmail(email);

    await expect(callerFor(invitee).invitation.preview({ token })).resolves.toMatchObject({
      status: "expired",
      alreadyMember: false,
    });
    const error = await expectApiError(callerFor(invitee).invitation.accept({ token }), "PRECONDITION_FAILED");
    expect(error.message).toBe("This invitation has been expired");
    expect(await membershipOf(ws, invitee)).toBeNull();
    expect(await callerFor(ws.owner).invitation.list({ workspaceSlug: ws.slug })).toEqual([]);
    expect((await testDb().invitation.findUniqueOrThrow({ where: { id: invitation.id } })).acceptedAt).toBeNull();
  });

  it("refuses a revoked invitation (PRECONDITION_FAILED)", async () => {
    const ws = await makeWorkspace();
    const admin = await addMember(ws, "ADMIN");
    const email = freshEmail();
    const { invitation, token } = await invite(admin, ws, email);

    await expect(
      callerFor(admin).invitation.revoke({ workspaceSlug: ws.slug, invitationId: invitation.id }),
    ).resolves.toEqual({ ok: true });
    expect(await callerFor(admin).invitation.list({ workspaceSlug: ws.slug })).toEqual([]);
    expect(await eventsFor(ws.id, "invitation.revoked")).toEqual([
      { actorId: admin.id, entityType: "invitation", entityId: invitation.id, before: null, after: null },
    ]);

    const invitee = await userWithEmail(email);
    await expect(callerFor(invitee).invitation.preview({ token })).resolves.toMatchObject({ status: "revoked" });
    const error = await expectApiError(callerFor(invitee).invitation.accept({ token }), "PRECONDITION_FAILED");
    expect(error.message).toBe("This invitation has been revoked");
    expect(await membershipOf(ws, invitee)).toBeNull();
    // Revoking again: nothing pending to revoke.
    await expectApiError(
      callerFor(admin).invitation.revoke({ workspaceSlug: ws.slug, invitationId: invitation.id }),
      "NOT_FOUND",
    );
    expect(await eventsFor(ws.id, "invitation.revoked")).toHaveLength(1);
  });

  it("cannot revoke an invitation that was already accepted", async () => {
    const ws = await makeWorkspace();
    const email = freshEmail();
    const { invitation, token } = await invite(ws.owner, ws, email);
    const invitee = await userWithEmail(email);
    await callerFor(invitee).invitation.accept({ token });
    await expectApiError(
      callerFor(ws.owner).invitation.revoke({ workspaceSlug: ws.slug, invitationId: invitation.id }),
      "NOT_FOUND",
    );
    expect((await membershipOf(ws, invitee))?.role).toBe("MEMBER");
  });

  it("answers FORBIDDEN to a signed-in user with a different email, and the invitation stays usable", async () => {
    const ws = await makeWorkspace();
    const email = freshEmail();
    const { token } = await invite(ws.owner, ws, email);
    const stranger = await makeUser("stranger");

    // Holding the link is enough to see what it offers.
    await expect(callerFor(stranger).invitation.preview({ token })).resolves.toMatchObject({
      email,
      status: "pending",
      alreadyMember: false,
    });
    const error = await expectApiError(callerFor(stranger).invitation.accept({ token }), "FORBIDDEN");
    expect(error.message).toBe(`This invitation is for ${email}. Sign in with that address to accept it.`);
    expect(await membershipOf(ws, stranger)).toBeNull();

    const invitee = await userWithEmail(email);
    await expect(callerFor(invitee).invitation.accept({ token })).resolves.toMatchObject({ role: "MEMBER" });
  });

  it("answers BAD_REQUEST with fieldErrors.token for malformed tokens", async () => {
    const caller = callerFor(await makeUser());
    const malformed = [
      "",
      "short",
      "a".repeat(19),
      "has spaces and symbols!!!",
      "../../etc/passwd/aaaaaaaaaaaa",
      "t".repeat(10_000),
    ];
    for (const token of malformed) {
      for (const call of [caller.invitation.preview({ token }), caller.invitation.accept({ token })]) {
        const error = await expectApiError(call, "BAD_REQUEST");
        expect(error.data.fieldErrors?.token, JSON.stringify(token.slice(0, 30))).toBeDefined();
      }
    }
    const wrongType = await expectApiError(caller.invitation.accept({ token: 12345 } as never), "BAD_REQUEST");
    expect(wrongType.data.fieldErrors?.token).toBeDefined();
    const missing = await expectApiError(caller.invitation.accept({} as never), "BAD_REQUEST");
    expect(missing.data.fieldErrors?.token).toBeDefined();
    const unknown = await expectApiError(
      caller.invitation.accept({ token: "A".repeat(43), workspaceSlug: "x" } as never),
      "BAD_REQUEST",
    );
    expect(Object.keys(unknown.data.fieldErrors ?? {})).toContain("");
  });

  it("answers NOT_FOUND for an unknown well-formed token", async () => {
    const caller = callerFor(await makeUser());
    const token = "Z".repeat(43);
    const preview = await expectApiError(caller.invitation.preview({ token }), "NOT_FOUND");
    expect(preview.message).toBe("Invitation not found");
    await expectApiError(caller.invitation.accept({ token }), "NOT_FOUND");
  });

  it("answers UNAUTHORIZED when signed out", async () => {
    const ws = await makeWorkspace();
    const email = freshEmail();
    const { invitation, token } = await invite(ws.owner, ws, email);
    const anon = callerFor(null);
    await expectApiError(anon.invitation.preview({ token }), "UNAUTHORIZED");
    await expectApiError(anon.invitation.accept({ token }), "UNAUTHORIZED");
    await expectApiError(anon.invitation.create({ workspaceSlug: ws.slug, email: freshEmail() }), "UNAUTHORIZED");
    await expectApiError(anon.invitation.list({ workspaceSlug: ws.slug }), "UNAUTHORIZED");
    await expectApiError(
      anon.invitation.revoke({ workspaceSlug: ws.slug, invitationId: invitation.id }),
      "UNAUTHORIZED",
    );
    expect((await testDb().invitation.findUniqueOrThrow({ where: { id: invitation.id } })).revokedAt).toBeNull();
  });
});

describe("invitation.create rules", () => {
  it.each(["VIEWER", "MEMBER"] as const)("answers FORBIDDEN when a %s invites, lists or revokes", async (role) => {
    const ws = await makeWorkspace();
    const actor = await addMember(ws, role);
    const email = freshEmail();
    await expectApiError(
      callerFor(actor).invitation.create({ workspaceSlug: ws.slug, email, role: "VIEWER" }),
      "FORBIDDEN",
    );
    expect(await mailTo(email)).toEqual([]);
    expect(await testDb().invitation.count({ where: { workspaceId: ws.id } })).toBe(0);

    const { invitation } = await invite(ws.owner, ws, freshEmail());
    await expectApiError(callerFor(actor).invitation.list({ workspaceSlug: ws.slug }), "FORBIDDEN");
    await expectApiError(
      callerFor(actor).invitation.revoke({ workspaceSlug: ws.slug, invitationId: invitation.id }),
      "FORBIDDEN",
    );
    expect((await testDb().invitation.findUniqueOrThrow({ where: { id: invitation.id } })).revokedAt).toBeNull();
  });

  it("does not let an admin invite as OWNER, but lets them invite as ADMIN", async () => {
    const ws = await makeWorkspace();
    const admin = await addMember(ws, "ADMIN");
    const email = freshEmail();
    const error = await expectApiError(
      callerFor(admin).invitation.create({ workspaceSlug: ws.slug, email, role: "OWNER" }),
      "FORBIDDEN",
    );
    expect(error.message).toBe("You cannot invite someone with a role higher than your own");
    expect(await mailTo(email)).toEqual([]);
    expect(await testDb().invitation.count({ where: { workspaceId: ws.id } })).toBe(0);

    await expect(
      callerFor(admin).invitation.create({ workspaceSlug: ws.slug, email, role: "ADMIN" }),
    ).resolves.toMatchObject({ email, role: "ADMIN" });
    expect(await mailTo(email)).toHaveLength(1);
  });

  it("answers CONFLICT with fieldErrors.email for an existing member", async () => {
    const ws = await makeWorkspace();
    const member = await addMember(ws, "MEMBER");
    for (const email of [member.email, member.email.toUpperCase(), ws.owner.email]) {
      const error = await expectApiError(
        callerFor(ws.owner).invitation.create({ workspaceSlug: ws.slug, email }),
        "CONFLICT",
      );
      expect(error.data.fieldErrors?.email).toEqual(["This person is already a member"]);
    }
    expect(await testDb().invitation.count({ where: { workspaceId: ws.id } })).toBe(0);
    expect(await mailTo(member.email)).toEqual([]);
  });

  it("lets an admin invite an existing user who is not yet a member", async () => {
    const ws = await makeWorkspace();
    const other = await makeUser("outsider");
    const { token } = await invite(ws.owner, ws, other.email, "VIEWER");
    await expect(callerFor(other).invitation.accept({ token })).resolves.toMatchObject({ role: "VIEWER" });
  });

  it("answers BAD_REQUEST with fieldErrors.email for bad addresses", async () => {
    const ws = await makeWorkspace();
    const caller = callerFor(ws.owner);
    const longAddress = `${"a".repeat(300 - "@example.test".length)}@example.test`;
    expect(longAddress).toHaveLength(300);
    for (const email of ["not-an-email", "", "   ", "a@", "@example.test", longAddress]) {
      const error = await expectApiError(caller.invitation.create({ workspaceSlug: ws.slug, email }), "BAD_REQUEST");
      expect(error.data.fieldErrors?.email, JSON.stringify(email.slice(0, 20))).toBeDefined();
    }
    const tooLong = await expectApiError(
      caller.invitation.create({ workspaceSlug: ws.slug, email: longAddress }),
      "BAD_REQUEST",
    );
    expect(tooLong.data.fieldErrors?.email).toEqual(["Too long"]);
    const invalid = await expectApiError(
      caller.invitation.create({ workspaceSlug: ws.slug, email: "not-an-email" }),
      "BAD_REQUEST",
    );
    expect(invalid.data.fieldErrors?.email).toEqual(["Enter a valid email address"]);
    const wrongType = await expectApiError(
      caller.invitation.create({ workspaceSlug: ws.slug, email: 5 } as never),
      "BAD_REQUEST",
    );
    expect(wrongType.data.fieldErrors?.email).toBeDefined();
    const missing = await expectApiError(caller.invitation.create({ workspaceSlug: ws.slug } as never), "BAD_REQUEST");
    expect(missing.data.fieldErrors?.email).toBeDefined();
    const badRole = await expectApiError(
      caller.invitation.create({ workspaceSlug: ws.slug, email: freshEmail(), role: "GOD" } as never),
      "BAD_REQUEST",
    );
    expect(badRole.data.fieldErrors?.role).toBeDefined();
    const unknown = await expectApiError(
      caller.invitation.create({ workspaceSlug: ws.slug, email: freshEmail(), message: "hi" } as never),
      "BAD_REQUEST",
    );
    expect(Object.keys(unknown.data.fieldErrors ?? {})).toContain("");
    expect(await testDb().invitation.count({ where: { workspaceId: ws.id } })).toBe(0);
    expect(await eventsFor(ws.id, "invitation.created")).toEqual([]);
  });

  it("re-inviting the same email revokes the previous pending invitation", async () => {
    const ws = await makeWorkspace();
    const email = freshEmail();
    const first = await invite(ws.owner, ws, email, "VIEWER");
    const second = await invite(ws.owner, ws, email.toUpperCase(), "ADMIN");
    expect(second.token).not.toBe(first.token);
    expect(await mailTo(email)).toHaveLength(2);

    const pending = await callerFor(ws.owner).invitation.list({ workspaceSlug: ws.slug });
    expect(pending.map((i) => [i.id, i.email, i.role])).toEqual([[second.invitation.id, email, "ADMIN"]]);
    expect(
      (await testDb().invitation.findUniqueOrThrow({ where: { id: first.invitation.id } })).revokedAt,
    ).toBeInstanceOf(Date);

    const invitee = await userWithEmail(email);
    await expect(callerFor(invitee).invitation.preview({ token: first.token })).resolves.toMatchObject({
      status: "revoked",
      role: "VIEWER",
    });
    await expectApiError(callerFor(invitee).invitation.accept({ token: first.token }), "PRECONDITION_FAILED");
    await expect(callerFor(invitee).invitation.accept({ token: second.token })).resolves.toMatchObject({
      role: "ADMIN",
    });
  });

  it("leaves exactly one pending invitation when the same email is invited twice at the same time", async () => {
    // A double-clicked "Invite" / "Resend": the rule "a new invitation replaces any pending one" must hold.
    for (let round = 0; round < 5; round++) {
      const ws = await makeWorkspace();
      const email = freshEmail("race");
      const results = await Promise.allSettled([
        callerFor(ws.owner).invitation.create({ workspaceSlug: ws.slug, email, role: "MEMBER" }),
        callerFor(ws.owner).invitation.create({ workspaceSlug: ws.slug, email, role: "MEMBER" }),
      ]);
      expect(results.filter((r) => r.status === "fulfilled").length, `round ${round}`).toBeGreaterThanOrEqual(1);
      const pending = await callerFor(ws.owner).invitation.list({ workspaceSlug: ws.slug });
      expect(
        pending.map((i) => i.email),
        `round ${round}: pending invitations for one address`,
      ).toEqual([email]);
    }
  });

  it("lists only this workspace's pending invitations, newest first", async () => {
    const a = await makeWorkspace();
    const b = await makeWorkspace();
    const one = await invite(a.owner, a, freshEmail("one"), "MEMBER");
    const two = await invite(a.owner, a, freshEmail("two"), "VIEWER");
    await invite(b.owner, b, freshEmail("other"));
    const list = await callerFor(a.owner).invitation.list({ workspaceSlug: a.slug });
    expect(list.map((i) => [i.id, i.role])).toEqual([
      [two.invitation.id, "VIEWER"],
      [one.invitation.id, "MEMBER"],
    ]);
    expect(list.every((i) => i.invitedBy.id === a.owner.id)).toBe(true);
  });
});

describe("invitations across tenants", () => {
  it("an admin of A cannot revoke B's invitation (NOT_FOUND) by either slug", async () => {
    const a = await makeWorkspace();
    const aAdmin = await addMember(a, "ADMIN");
    const b = await makeWorkspace();
    const email = freshEmail();
    const { invitation, token } = await invite(b.owner, b, email);

    const viaA = await expectApiError(
      callerFor(aAdmin).invitation.revoke({ workspaceSlug: a.slug, invitationId: invitation.id }),
      "NOT_FOUND",
    );
    expect(viaA.message).toBe("Invitation not found");
    const viaB = await expectApiError(
      callerFor(aAdmin).invitation.revoke({ workspaceSlug: b.slug, invitationId: invitation.id }),
      "NOT_FOUND",
    );
    expect(viaB.message).toBe("Workspace not found");
    await expectApiError(callerFor(aAdmin).invitation.list({ workspaceSlug: b.slug }), "NOT_FOUND");
    await expectApiError(
      callerFor(aAdmin).invitation.create({ workspaceSlug: b.slug, email: freshEmail() }),
      "NOT_FOUND",
    );

    expect((await testDb().invitation.findUniqueOrThrow({ where: { id: invitation.id } })).revokedAt).toBeNull();
    expect((await callerFor(b.owner).invitation.list({ workspaceSlug: b.slug })).map((i) => i.id)).toEqual([
      invitation.id,
    ]);
    expect(await eventsFor(a.id, "invitation.revoked")).toEqual([]);
    expect(await eventsFor(b.id, "invitation.revoked")).toEqual([]);
    const invitee = await userWithEmail(email);
    await expect(callerFor(invitee).invitation.accept({ token })).resolves.toMatchObject({ id: b.id, role: "MEMBER" });
  });

  it("rejects bad revoke input with field errors", async () => {
    const ws = await makeWorkspace();
    const caller = callerFor(ws.owner);
    const empty = await expectApiError(
      caller.invitation.revoke({ workspaceSlug: ws.slug, invitationId: "" }),
      "BAD_REQUEST",
    );
    expect(empty.data.fieldErrors?.invitationId).toEqual(["Required"]);
    const long = await expectApiError(
      caller.invitation.revoke({ workspaceSlug: ws.slug, invitationId: "i".repeat(10_000) }),
      "BAD_REQUEST",
    );
    expect(long.data.fieldErrors?.invitationId).toEqual(["Too long"]);
    const wrongType = await expectApiError(
      caller.invitation.revoke({ workspaceSlug: ws.slug, invitationId: 1 } as never),
      "BAD_REQUEST",
    );
    expect(wrongType.data.fieldErrors?.invitationId).toBeDefined();
    await expectApiError(
      caller.invitation.revoke({ workspaceSlug: ws.slug, invitationId: "no-such-invitation" }),
      "NOT_FOUND",
    );
  });
});

describe("invitation.peek (the sign-in page of a signed-out invitee)", () => {
  it("tells anyone holding the link the workspace's name and the invited address, and nothing else", async () => {
    const ws = await makeWorkspace();
    const email = freshEmail();
    const { invitation, token } = await invite(ws.owner, ws, email, "ADMIN");
    const { name } = await callerFor(ws.owner).workspace.get({ workspaceSlug: ws.slug });

    const peek = await callerFor(null).invitation.peek({ token });
    expect(peek).toEqual({ workspaceName: name, email, status: "pending" });

    // Once used, it says so (the page then signs in without the invitation wording).
    await testDb().invitation.update({ where: { id: invitation.id }, data: { revokedAt: new Date() } });
    await expect(callerFor(null).invitation.peek({ token })).resolves.toMatchObject({ status: "revoked" });
  });

  it("answers NOT_FOUND for a well-formed token that was never issued, and BAD_REQUEST for a malformed one", async () => {
    await expectApiError(callerFor(null).invitation.peek({ token: "A".repeat(43) }), "NOT_FOUND");
    const bad = await expectApiError(callerFor(null).invitation.peek({ token: "not a token!" }), "BAD_REQUEST");
    expect(Object.keys(bad.data.fieldErrors ?? {})).toEqual(["token"]);
    await expectApiError(callerFor(null).invitation.peek({ token: "A".repeat(43), extra: 1 } as never), "BAD_REQUEST");
  });

  it("shows a signed-in stranger from another workspace the same as anyone: only what the link names", async () => {
    const ws = await makeWorkspace();
    const other = await makeWorkspace();
    const email = freshEmail();
    const { token } = await invite(ws.owner, ws, email);
    const peek = await callerFor(other.owner).invitation.peek({ token });
    expect(Object.keys(peek).sort()).toEqual(["email", "status", "workspaceName"]);
    expect(peek.email).toBe(email);
  });
});

describe("invitation email through the queue", () => {
  const runMailJob = (invitationId: string) => JOBS["mail.invitation"].run({ invitationId }, { id: "test" });

  it("keeps the token sealed until mailed, mails it once however often the job runs, then forgets it", async () => {
    const ws = await makeWorkspace();
    const email = freshEmail();
    const created = await callerFor(ws.owner).invitation.create({ workspaceSlug: ws.slug, email });
    const waiting = await testDb().invitation.findUniqueOrThrow({ where: { id: created.id } });
    // Sealed, not readable: the row alone does not give the link away.
    expect(waiting.tokenSealed).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\.[\w-]+$/);
    const token = decryptSecret(waiting.tokenSealed!);
    expect(waiting.tokenSealed).not.toContain(token);
    expect(waiting.tokenHash).toBe(sha256(token));

    await runMailJob(created.id);
    await runMailJob(created.id);
    const mails = await mailTo(email);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.text).toContain(`/invite/${token}`);
    const [listed] = await callerFor(ws.owner).invitation.list({ workspaceSlug: ws.slug });
    expect(listed).toMatchObject({ id: created.id, emailedAt: expect.any(Date) });
  });

  it("until its job has run, the invitation is pending, listed as not yet emailed, and still mailable", async () => {
    const ws = await makeWorkspace();
    const email = freshEmail();
    const created = await callerFor(ws.owner).invitation.create({ workspaceSlug: ws.slug, email });
    // No worker has run yet (or the mail server is down and the job is waiting to retry).
    const [pending] = await callerFor(ws.owner).invitation.list({ workspaceSlug: ws.slug });
    expect(pending).toMatchObject({ id: created.id, emailedAt: null });
    await runMailJob(created.id);
    expect(await mailTo(email)).toHaveLength(1);
  });

  it("mails nothing for an invitation revoked or replaced before its job ran, and forgets its token", async () => {
    const ws = await makeWorkspace();
    const email = freshEmail();
    const first = await callerFor(ws.owner).invitation.create({ workspaceSlug: ws.slug, email, role: "VIEWER" });
    const second = await callerFor(ws.owner).invitation.create({ workspaceSlug: ws.slug, email, role: "MEMBER" });
    const other = await callerFor(ws.owner).invitation.create({ workspaceSlug: ws.slug, email: freshEmail() });
    await callerFor(ws.owner).invitation.revoke({ workspaceSlug: ws.slug, invitationId: other.id });

    for (const { id } of [first, second, other]) await runMailJob(id);
    const mails = await mailTo(email);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.text).toContain("as member");
    const rows = await testDb().invitation.findMany({
      where: { id: { in: [first.id, other.id] } },
      select: { tokenSealed: true, emailedAt: true },
    });
    expect(rows).toEqual([
      { tokenSealed: null, emailedAt: null },
      { tokenSealed: null, emailedAt: null },
    ]);
  });

  it("when the last retry fails, shows 'email failed' to the inviter and forgets the token", async () => {
    const ws = await makeWorkspace();
    const created = await callerFor(ws.owner).invitation.create({ workspaceSlug: ws.slug, email: freshEmail() });
    // A token that no configured key opens makes every send fail, as a dead mail server would.
    await testDb().invitation.update({ where: { id: created.id }, data: { tokenSealed: "gone.AAAA.AAAA.AAAA" } });
    const attempt = (lastAttempt: boolean) =>
      JOBS["mail.invitation"].run({ invitationId: created.id }, { id: "test", lastAttempt });
    await expect(attempt(false)).rejects.toThrow();
    let [listed] = await callerFor(ws.owner).invitation.list({ workspaceSlug: ws.slug });
    expect(listed).toMatchObject({ emailedAt: null, emailFailedAt: null });
    await expect(attempt(true)).rejects.toThrow();
    [listed] = await callerFor(ws.owner).invitation.list({ workspaceSlug: ws.slug });
    expect(listed).toMatchObject({ emailedAt: null, emailFailedAt: expect.any(Date) });
    expect((await testDb().invitation.findUniqueOrThrow({ where: { id: created.id } })).tokenSealed).toBeNull();
  });

  it("mails nothing for an invitation that expired while its job waited", async () => {
    const ws = await makeWorkspace();
    const email = freshEmail();
    const created = await callerFor(ws.owner).invitation.create({ workspaceSlug: ws.slug, email });
    await testDb().invitation.update({ where: { id: created.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    await runMailJob(created.id);
    expect(await mailTo(email)).toEqual([]);
    expect((await testDb().invitation.findUniqueOrThrow({ where: { id: created.id } })).tokenSealed).toBeNull();
  });

  it("a request that fails after the invitation was written leaves neither invitation nor job", async () => {
    const ws = await makeWorkspace();
    const member = await addMember(ws, "MEMBER");
    const before = await testDb().$queryRaw<Array<{ n: bigint }>>`
      SELECT count(*) AS n FROM pgboss.job WHERE name = 'mail.invitation'`;
    await expectApiError(
      callerFor(ws.owner).invitation.create({ workspaceSlug: ws.slug, email: member.email }),
      "CONFLICT",
    );
    const after = await testDb().$queryRaw<Array<{ n: bigint }>>`
      SELECT count(*) AS n FROM pgboss.job WHERE name = 'mail.invitation'`;
    expect(after[0]!.n).toBe(before[0]!.n);
  });

  it("after a key rotation, tokens still waiting are sealed again with the new key", async () => {
    const ws = await makeWorkspace();
    const email = freshEmail();
    const created = await callerFor(ws.owner).invitation.create({ workspaceSlug: ws.slug, email });
    const { tokenSealed: sealedBefore } = await testDb().invitation.findUniqueOrThrow({ where: { id: created.id } });
    const token = decryptSecret(sealedBefore!);
    const rotated = [{ id: `k${uid()}`, key: randomBytes(32) }, ...configuredKeyring()];

    expect(await reencryptInvitationTokens(testDb(), rotated)).toBeGreaterThanOrEqual(1);
    const { tokenSealed: sealedAfter } = await testDb().invitation.findUniqueOrThrow({ where: { id: created.id } });
    expect(sealedAfter!.startsWith(`${rotated[0]!.id}.`)).toBe(true);
    // Readable with the new key alone: the old one can go.
    expect(decryptSecret(sealedAfter!, [rotated[0]!])).toBe(token);
    expect(await reencryptInvitationTokens(testDb(), rotated)).toBe(0);
    await reencryptInvitationTokens(testDb(), [...configuredKeyring(), rotated[0]!]);
    // Sealing with an unrelated key is not readable with the configured ones (the check is real).
    expect(() => decryptSecret(encryptSecret(token, [rotated[0]!]))).toThrow();
  });
});

describe("invitations in the app (invitation.mine / acceptMine)", () => {
  it("lists a person's own pending invitations from every workspace, and joins from there", async () => {
    const a = await makeWorkspace();
    const b = await makeWorkspace();
    const person = await makeUser("invitee");
    await callerFor(a.owner).invitation.create({ workspaceSlug: a.slug, email: person.email, role: "VIEWER" });
    const fromB = await callerFor(b.owner).invitation.create({ workspaceSlug: b.slug, email: person.email });
    // Someone else's invitation is not theirs to see.
    await callerFor(b.owner).invitation.create({ workspaceSlug: b.slug, email: freshEmail() });

    const mine = await callerFor(person).invitation.mine();
    expect(mine.map((i) => [i.workspace.slug, i.role])).toEqual([
      [b.slug, "MEMBER"],
      [a.slug, "VIEWER"],
    ]);
    // The inviter by name only: the invitee is not a member yet.
    const { name: ownerName } = await testDb().user.findUniqueOrThrow({ where: { id: b.owner.id } });
    expect(mine[0]).toMatchObject({ id: fromB.id, invitedBy: ownerName ?? b.owner.email });

    const joined = await callerFor(person).invitation.acceptMine({ invitationId: fromB.id });
    expect(joined).toMatchObject({ slug: b.slug, role: "MEMBER" });
    expect(await membershipOf(b, person)).toMatchObject({ role: "MEMBER" });
    expect((await callerFor(person).invitation.mine()).map((i) => i.workspace.slug)).toEqual([a.slug]);
    // Single use, as with the link.
    await expectApiError(callerFor(person).invitation.acceptMine({ invitationId: fromB.id }), "PRECONDITION_FAILED");
  });

  it("treats an invitation to another address as if it did not exist, and refuses bad input", async () => {
    const ws = await makeWorkspace();
    const stranger = await makeUser("stranger");
    const theirs = await callerFor(ws.owner).invitation.create({ workspaceSlug: ws.slug, email: freshEmail() });
    await expectApiError(callerFor(stranger).invitation.acceptMine({ invitationId: theirs.id }), "NOT_FOUND");
    await expectApiError(callerFor(stranger).invitation.acceptMine({ invitationId: "nope" }), "NOT_FOUND");
    expect(await membershipOf(ws, stranger)).toBeNull();
    const bad = await expectApiError(callerFor(stranger).invitation.acceptMine({ invitationId: "" }), "BAD_REQUEST");
    expect(bad.data.fieldErrors).toHaveProperty("invitationId");
    await expectApiError(
      callerFor(stranger).invitation.acceptMine({ invitationId: theirs.id, extra: 1 } as { invitationId: string }),
      "BAD_REQUEST",
    );
  });

  it("drops revoked and expired invitations from the list", async () => {
    const ws = await makeWorkspace();
    const person = await makeUser("maybe");
    const revoked = await callerFor(ws.owner).invitation.create({ workspaceSlug: ws.slug, email: person.email });
    await callerFor(ws.owner).invitation.revoke({ workspaceSlug: ws.slug, invitationId: revoked.id });
    const other = await makeWorkspace();
    const expired = await callerFor(other.owner).invitation.create({ workspaceSlug: other.slug, email: person.email });
    await testDb().invitation.update({ where: { id: expired.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await callerFor(person).invitation.mine()).toEqual([]);
    await expectApiError(callerFor(person).invitation.acceptMine({ invitationId: expired.id }), "PRECONDITION_FAILED");
  });
});
