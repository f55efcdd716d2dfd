/**
 * Foundation, in a real browser: the one real magic-link sign-in (an invitee
 * arriving from their invitation), creating a workspace at an address typed with
 * capitals, and role changes that are confirmed before they apply.
 *
 * Every test arranges its own people and workspace; none depends on another.
 */
import { randomBytes } from "node:crypto";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { addMember, inviteMember, memberRow, openMailLink, seedWorkspace, setUpBrowser, uniqueEmail } from "./helpers";

const e2e = setUpBrowser();

describe("workspace foundation", () => {
  test("the real magic-link sign-in, from an invitation: the sign-in page names the workspace and prefills the address, and the link brings the invitee back to join", async () => {
    const { baseUrl } = e2e;
    const owner = await e2e.signedIn("owner");
    const { workspace } = await seedWorkspace(owner);
    const inviteeEmail = uniqueEmail("invitee");

    await owner.page.goto(`${baseUrl}/w/${workspace.slug}/members`);
    await inviteMember(owner.page, inviteeEmail, "Member");

    // The invitee has never signed in: a browser without a session opens the link from their mail.
    const invitee = await (await e2e.newContext()).newPage();
    await openMailLink(invitee, baseUrl, inviteeEmail, /^\/invite\/[^/]+$/);
    await invitee.waitForURL((url) => url.pathname === "/signin");
    await invitee.getByRole("heading", { name: `Sign in to accept your invitation to ${workspace.name}` }).waitFor();
    expect(await invitee.getByLabel("Email", { exact: true }).inputValue(), "the invited address is filled in").toBe(
      inviteeEmail,
    );

    await invitee.getByRole("button", { name: "Email me a sign-in link" }).click();
    await invitee.waitForURL((url) => url.pathname === "/signin/check-email");
    await invitee.getByRole("heading", { name: "Check your email" }).waitFor();
    await openMailLink(invitee, baseUrl, inviteeEmail, /^\/api\/auth\/callback\/email$/);

    // Signed in, back on the invitation.
    await invitee.waitForURL((url) => url.pathname.startsWith("/invite/"));
    await invitee.getByRole("button", { name: `Join ${workspace.name}` }).click();
    await invitee.waitForURL((url) => url.pathname === `/w/${workspace.slug}`);
    await invitee.getByRole("heading", { name: `${workspace.name} · Projects` }).waitFor();
    expect(await invitee.getByTestId("current-user").textContent()).toContain(inviteeEmail.split("@")[0]);

    await owner.page.reload();
    expect(await owner.page.getByLabel(`Role of ${inviteeEmail}`).inputValue()).toBe("MEMBER");
    await owner.page.getByText("No pending invitations.").waitFor();
  });

  test("someone who already uses Lanes sees an invitation arrive in the sidebar, live, and joins from there", async () => {
    const inviter = await e2e.signedIn("inviter");
    const invited = await e2e.signedIn("already-here");
    const theirs = await seedWorkspace(invited);
    const { workspace } = await seedWorkspace(inviter);

    await invited.page.goto(`${e2e.baseUrl}/w/${theirs.workspace.slug}`);
    await invited.page.locator('[data-testid="live-status"][data-live="on"]').waitFor();
    expect(await invited.page.getByTestId("my-invitation").count()).toBe(0);

    await inviter.page.goto(`${e2e.baseUrl}/w/${workspace.slug}/members`);
    await inviteMember(inviter.page, invited.email, "Member");
    const card = invited.page.getByTestId("my-invitation").filter({ hasText: workspace.name });
    await card.waitFor({ timeout: 5_000 });
    await invited.page.screenshot({ path: path.resolve(import.meta.dirname, "artifacts", "invitation-in-app.png") });
    await card.getByRole("button", { name: `Join ${workspace.name}` }).click();
    await invited.page.waitForURL((url) => url.pathname === `/w/${workspace.slug}`);
    await invited.page.getByRole("heading", { name: `${workspace.name} · Projects` }).waitFor();
    expect(await invited.page.getByTestId("my-invitation").count()).toBe(0);
  });

  test("on /new, an address typed with capitals and spaces shows as it will be saved, and the workspace lives there", async () => {
    const founder = await e2e.signedIn("founder");
    const suffix = randomBytes(3).toString("hex");
    await founder.page.goto(`${e2e.baseUrl}/`);
    await founder.page.waitForURL((url) => url.pathname === "/new");

    await founder.page.getByLabel("Workspace name").fill(`Acme Design ${suffix}`);
    const address = founder.page.getByLabel("Address");
    expect(await address.inputValue(), "suggested from the name").toBe(`acme-design-${suffix}`);
    await address.fill("");
    await address.pressSequentially(`Acme Studio ${suffix.toUpperCase()}`);
    const expected = `acme-studio-${suffix}`;
    expect(await address.inputValue(), "lowercased as typed, spaces as hyphens").toBe(expected);
    const host = new URL(e2e.baseUrl).host;
    await founder.page.getByText(`Your workspace will live at ${host}/w/${expected}`).waitFor();

    await founder.page.getByRole("button", { name: "Create workspace" }).click();
    await founder.page.waitForURL((url) => url.pathname === `/w/${expected}`);
    await founder.page.getByRole("heading", { name: `Acme Design ${suffix} · Projects` }).waitFor();
  });

  test("a role change is confirmed first, saying what the person loses; Cancel changes nothing, confirming saves it", async () => {
    const owner = await e2e.signedIn("owner");
    const member = await e2e.signedIn("member");
    const { workspace } = await seedWorkspace(owner);
    await addMember(e2e.db, workspace.id, member, "MEMBER");
    const page = owner.page;
    await page.goto(`${e2e.baseUrl}/w/${workspace.slug}/members`);
    const roleSelect = page.getByLabel(`Role of ${member.email}`);
    expect(await roleSelect.inputValue()).toBe("MEMBER");

    const updates: string[] = [];
    page.on("request", (req) => {
      if (new URL(req.url()).pathname.includes("member.updateRole")) updates.push(req.method());
    });

    // Choosing Viewer asks first.
    await roleSelect.selectOption({ label: "Viewer" });
    const dialog = page.getByRole("dialog", { name: `Change ${member.name}'s role?` });
    await dialog.waitFor();
    const text = (await dialog.textContent()) ?? "";
    expect(text).toContain("From Member to Viewer");
    expect(text).toContain("will no longer be able to");
    expect(text).toContain("create, edit and delete tasks");
    expect(text).toContain("comment on tasks");

    await dialog.getByRole("button", { name: "Cancel" }).click();
    await dialog.waitFor({ state: "hidden" });
    expect(await roleSelect.inputValue(), "Cancel leaves the role").toBe("MEMBER");
    expect(updates, "nothing was sent").toEqual([]);

    // Again, and confirm.
    await roleSelect.selectOption({ label: "Viewer" });
    const saved = page.waitForResponse(
      (res) =>
        new URL(res.url()).pathname.startsWith("/api/trpc/member.updateRole") && res.request().method() === "POST",
    );
    await dialog.getByRole("button", { name: `Make ${member.name} a Viewer` }).click();
    expect((await saved).status(), "member.updateRole answers 200").toBe(200);
    await dialog.waitFor({ state: "hidden" });
    await page.reload();
    await expect
      .poll(() => page.getByLabel(`Role of ${member.email}`).inputValue(), { message: "the role after a reload" })
      .toBe("VIEWER");

    // The viewer sees no invite form and cannot change anyone's role.
    await member.page.goto(`${e2e.baseUrl}/w/${workspace.slug}/members`);
    await member.page.getByTestId("invite-disabled").waitFor();
    expect(
      await member.page.getByRole("form", { name: "Invite a member" }).count(),
      "a viewer sees no invite form",
    ).toBe(0);
    expect(await member.page.getByLabel(`Role of ${owner.email}`).count()).toBe(0);
    expect(await memberRow(member.page, member.email).textContent()).toContain("Viewer");
  });
});
