/**
 * Limits that keep one account from mailing strangers or hoarding resources: invitations per
 * inviter across workspaces and per recipient from anyone, workspace creation per user, and the
 * sign-up policy. Real database; the limiter's store is whatever the run has (Redis in CI).
 */
import { describe, expect, it } from "vitest";
import "../setup/file-db";
import { testDb } from "../setup/file-db";
import { callerFor, makeUser, makeWorkspace, uid } from "../helpers/factories";
import { runQueuedJobs } from "../helpers/queued-jobs";
import { expectApiError } from "../helpers/errors";
import { RATE_POLICIES } from "@/server/ratelimit/limiter";
import { assertMaySignIn, signInDecision } from "@/server/services/auth";
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
    const error = await expectApiError(
      callerFor(another.owner).invitation.create({ workspaceSlug: another.slug, email: target }),
      "TOO_MANY_REQUESTS",
    );
    expect(error.data.details).toEqual({ retryAfterSeconds: expect.any(Number) });
    // Nothing was created or mailed for the refused one.
    await runQueuedJobs("mail.invitation");
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
  it("a taken address does not spend the day's budget", async () => {
    const user = await makeUser("unlucky");
    const taken = (await makeWorkspace()).slug;
    for (let i = 0; i < RATE_POLICIES.workspaceCreate.requests + 2; i++) {
      await expectApiError(callerFor(user).workspace.create({ name: "Taken", slug: taken }), "CONFLICT");
    }
    expect((await callerFor(user).workspace.create({ name: "Mine", slug: `mine-${uid()}` })).role).toBe("OWNER");
  });

  it(`is limited to ${RATE_POLICIES.workspaceCreate.requests} a day per person`, async () => {
    const user = await makeUser("hoarder");
    for (let i = 0; i < RATE_POLICIES.workspaceCreate.requests; i++) {
      await callerFor(user).workspace.create({ name: `W ${i}`, slug: `hoard-${uid()}` });
    }
    await expectApiError(
      callerFor(user).workspace.create({ name: "One more", slug: `hoard-${uid()}` }),
      "TOO_MANY_REQUESTS",
    );
    expect(await testDb().membership.count({ where: { userId: user.id } })).toBe(
      RATE_POLICIES.workspaceCreate.requests,
    );
  });
});

describe("sign-up policy", () => {
  const inviteOnly = { policy: "invite-only" as const, allowedDomains: [] };
  const domains = { policy: "domains" as const, allowedDomains: ["acme.test"] };

  async function refusal(promise: Promise<void>) {
    const error = await promise.then(
      () => null,
      (e: unknown) => e,
    );
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

  it("signInDecision: OAuth without a verified address, a new address under a closed policy, and a link clicked after its invitation was revoked are refused", async () => {
    expect(await signInDecision(testDb(), { step: "oauth", email: null }, inviteOnly)).toBe(
      "/signin?error=EmailUnverified",
    );
    expect(await signInDecision(testDb(), { step: "oauth", email: email("gh") }, inviteOnly)).toBe(
      "/signin?error=SignupClosed",
    );
    expect(
      await signInDecision(testDb(), { step: "oauth", email: email("gh") }, { policy: "open", allowedDomains: [] }),
    ).toBe(true);
    const existing = await makeUser("member");
    expect(await signInDecision(testDb(), { step: "oauth", email: existing.email }, inviteOnly)).toBe(true);
    // The mail was sent while an invitation was pending; it was revoked before the link was clicked.
    const ws = await makeWorkspace();
    const invitee = email("late");
    const invitation = await callerFor(ws.owner).invitation.create({ workspaceSlug: ws.slug, email: invitee });
    expect(await signInDecision(testDb(), { step: "email-link", email: invitee }, inviteOnly)).toBe(true);
    await callerFor(ws.owner).invitation.revoke({ workspaceSlug: ws.slug, invitationId: invitation.id });
    expect(await signInDecision(testDb(), { step: "email-link", email: invitee }, inviteOnly)).toBe(
      "/signin?error=SignupClosed",
    );
    // Before the mail is sent, the provider decides (with its own message for the form).
    expect(await signInDecision(testDb(), { step: "email-request", email: invitee }, inviteOnly)).toBe(true);
  });
});
