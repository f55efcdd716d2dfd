/**
 * Limits that keep one account from mailing strangers or hoarding resources: invitations per
 * inviter across workspaces and per recipient from anyone, workspace creation per user, and the
 * sign-up policy. Real database; the limiter's store is whatever the run has (Redis in CI).
 */
import { describe, expect, it } from "vitest";
import "../setup/file-db";
import { testDb } from "../setup/file-db";
import { callerFor, makeUser, makeWorkspace, uid } from "../helpers/factories";
import { expectApiError } from "../helpers/errors";
import { RATE_POLICIES } from "@/server/ratelimit/limiter";
import { assertMaySignIn } from "@/server/services/auth";
import { AppError } from "@/server/errors";

const email = (prefix: string) => `${prefix}-${uid()}@example.test`;

describe("invitation limits across workspaces", () => {
  it(`one address receives at most ${RATE_POLICIES.inviteToAddress.requests} invitations a day, from anyone`, async () => {
    const target = email("popular");
    for (let i = 0; i < RATE_POLICIES.inviteToAddress.requests; i++) {
      const ws = await makeWorkspace();
      await callerFor(ws.owner).invitation.create({ workspaceSlug: ws.slug, email: target });
    }
    const another = await makeWorkspace();
    const error = await expectApiError(callerFor(another.owner).invitation.create({ workspaceSlug: another.slug, email: target }), "TOO_MANY_REQUESTS");
    expect(error.data.details).toEqual({ retryAfterSeconds: expect.any(Number) });
    // Nothing was created or mailed for the refused one.
    expect(await testDb().invitation.count({ where: { email: target } })).toBe(RATE_POLICIES.inviteToAddress.requests);
    expect(await testDb().mailboxMessage.count({ where: { to: target } })).toBe(RATE_POLICIES.inviteToAddress.requests);
  });

  it(`one person sends at most ${RATE_POLICIES.inviteByInviter.requests} a day, however many workspaces they create`, async () => {
    const inviter = await makeUser("spammer");
    const workspaces = await Promise.all(Array.from({ length: 3 }, () => makeWorkspace(inviter)));
    let sent = 0;
    let refused: Error | null = null;
    for (let i = 0; i < RATE_POLICIES.inviteByInviter.requests + 1 && !refused; i++) {
      const ws = workspaces[i % workspaces.length]!;
      try {
        await callerFor(inviter).invitation.create({ workspaceSlug: ws.slug, email: email("stranger") });
        sent++;
      } catch (error) {
        refused = error as Error;
      }
    }
    expect(sent).toBe(RATE_POLICIES.inviteByInviter.requests);
    await expectApiError(Promise.reject(refused ?? new Error("nothing was refused")), "TOO_MANY_REQUESTS");
  });
});

describe("workspace creation", () => {
  it(`is limited to ${RATE_POLICIES.workspaceCreate.requests} a day per person`, async () => {
    const user = await makeUser("hoarder");
    for (let i = 0; i < RATE_POLICIES.workspaceCreate.requests; i++) {
      await callerFor(user).workspace.create({ name: `W ${i}`, slug: `hoard-${uid()}` });
    }
    await expectApiError(callerFor(user).workspace.create({ name: "One more", slug: `hoard-${uid()}` }), "TOO_MANY_REQUESTS");
    expect(await testDb().membership.count({ where: { userId: user.id } })).toBe(RATE_POLICIES.workspaceCreate.requests);
  });
});

describe("sign-up policy", () => {
  const inviteOnly = { policy: "invite-only" as const, allowedDomains: [] };
  const domains = { policy: "domains" as const, allowedDomains: ["acme.test"] };

  async function refusal(promise: Promise<void>) {
    const error = await promise.then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }

  it("invite-only: refuses a new address, admits an existing account and an invited address", async () => {
    const stranger = email("stranger");
    expect((await refusal(assertMaySignIn(testDb(), stranger, inviteOnly))).message).toMatch(/invitation only/);
    const existing = await makeUser("existing");
    await assertMaySignIn(testDb(), existing.email, inviteOnly);
    const ws = await makeWorkspace();
    const invitee = email("invitee");
    await callerFor(ws.owner).invitation.create({ workspaceSlug: ws.slug, email: invitee });
    await assertMaySignIn(testDb(), invitee.toUpperCase(), inviteOnly);
  });

  it("invite-only: a revoked or expired invitation no longer admits", async () => {
    const ws = await makeWorkspace();
    const invitee = email("revoked");
    const invitation = await callerFor(ws.owner).invitation.create({ workspaceSlug: ws.slug, email: invitee });
    await callerFor(ws.owner).invitation.revoke({ workspaceSlug: ws.slug, invitationId: invitation.id });
    await refusal(assertMaySignIn(testDb(), invitee, inviteOnly));
    const expired = email("expired");
    const second = await callerFor(ws.owner).invitation.create({ workspaceSlug: ws.slug, email: expired });
    await testDb().invitation.update({ where: { id: second.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    await refusal(assertMaySignIn(testDb(), expired, inviteOnly));
  });

  it("domains: admits the allowed domain and invitees, refuses others with the domain named", async () => {
    await assertMaySignIn(testDb(), `new-${uid()}@acme.test`, domains);
    const message = (await refusal(assertMaySignIn(testDb(), email("outside"), domains))).message;
    expect(message).toMatch(/acme\.test/);
  });
});
