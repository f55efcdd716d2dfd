/**
 * Foundation, in a real browser: magic-link sign-in through the dev mailbox,
 * creating a workspace, inviting someone, that person joining from their own
 * browser, and the owner demoting them to Viewer.
 */
import { randomBytes } from "node:crypto";
import { describe, expect, test } from "vitest";
import {
  acceptInvitation,
  createWorkspace,
  inviteMember,
  memberRow,
  openSection,
  setUpBrowser,
  signInInBrowser,
  uniqueEmail,
} from "./helpers";

const e2e = setUpBrowser();

describe("workspace foundation", () => {
  test("sign in, create a workspace, invite a member who joins, and make them a viewer", async () => {
    const { baseUrl } = e2e;
    const suffix = randomBytes(3).toString("hex");
    const workspace = { name: `Acme Design ${suffix}`, slug: `acme-design-${suffix}` };
    const ownerEmail = uniqueEmail("owner");
    const inviteeEmail = uniqueEmail("invitee");

    // The owner signs in for the first time: no workspace yet, so onboarding.
    const ownerContext = await e2e.newContext();
    const owner = await signInInBrowser(ownerContext, baseUrl, ownerEmail);
    expect(new URL(owner.url()).pathname).toBe("/new");

    await createWorkspace(owner, workspace.name, workspace.slug);
    await owner.getByRole("heading", { name: `${workspace.name} · Projects` }).waitFor();
    expect(await owner.getByTestId("current-user").textContent()).toContain(ownerEmail.split("@")[0]);

    // Members: the owner alone, then an invitation as Member.
    await openSection(owner, workspace.slug, "Members", "/members");
    await memberRow(owner, ownerEmail).waitFor();
    await inviteMember(owner, inviteeEmail, "Member");
    expect(await owner.getByTestId("invitation-row").filter({ hasText: inviteeEmail }).textContent()).toContain("Member");

    // The invitee, in a browser of their own: signs in, opens the invitation from their mail, joins.
    const inviteeContext = await e2e.newContext();
    const invitee = await signInInBrowser(inviteeContext, baseUrl, inviteeEmail);
    expect(new URL(invitee.url()).pathname, "a new user without a workspace starts at onboarding").toBe("/new");
    await acceptInvitation(invitee, baseUrl, inviteeEmail, workspace);
    await invitee.getByRole("heading", { name: `${workspace.name} · Projects` }).waitFor();

    // Back with the owner: the member list shows them, and the invitation is no longer pending.
    await owner.reload();
    const row = memberRow(owner, inviteeEmail);
    await row.waitFor();
    const roleSelect = owner.getByLabel(`Role of ${inviteeEmail}`);
    expect(await roleSelect.inputValue()).toBe("MEMBER");
    await owner.getByText("No pending invitations.").waitFor();

    // The owner makes them a Viewer; it is saved, not just shown.
    const saved = owner.waitForResponse((res) => new URL(res.url()).pathname.startsWith("/api/trpc/member.updateRole") && res.request().method() === "POST");
    await roleSelect.selectOption({ label: "Viewer" });
    expect((await saved).status(), "member.updateRole answers 200").toBe(200);
    await owner.reload();
    await expect.poll(() => owner.getByLabel(`Role of ${inviteeEmail}`).inputValue(), { message: "the role after a reload" }).toBe("VIEWER");

    // The invitee, now a viewer, reloads Members: no invite form, the notice instead.
    await openSection(invitee, workspace.slug, "Members", "/members");
    await invitee.reload();
    await invitee.getByTestId("invite-disabled").waitFor();
    expect(await invitee.getByTestId("invite-disabled").textContent()).toContain("Only owners and admins can invite");
    expect(await invitee.getByRole("form", { name: "Invite a member" }).count(), "a viewer sees no invite form").toBe(0);
    // Nor can they change anyone's role.
    expect(await invitee.getByLabel(`Role of ${ownerEmail}`).count()).toBe(0);
    expect(await memberRow(invitee, inviteeEmail).textContent()).toContain("Viewer");
  });
});
