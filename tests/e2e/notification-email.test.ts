/**
 * Notification email end to end on the production server: an assignment made through the API is
 * emailed by the job queue running inside the server (JOB_WORKERS=inline), the mail lands in the dev
 * mailbox, and its unsubscribe link, opened in a browser, turns assignment emails off after one click;
 * the notification bell shows that choice and turns it back on.
 */
import { describe, expect, test } from "vitest";
import { addMember, openMailLink, seedWorkspace, setUpBrowser } from "./helpers";

const e2e = setUpBrowser();

describe("notification email", () => {
  test("an assignment is emailed through the job queue; its link turns those emails off", async () => {
    const owner = await e2e.signedIn("owner");
    const seeded = await seedWorkspace(owner, { titles: ["Ship the newsletter"] });
    const assignee = await e2e.signedIn("assignee");
    await addMember(e2e.db, seeded.workspace.id, assignee, "MEMBER");
    const workspaceSlug = seeded.workspace.slug;
    const task = await owner.api.task.byRef.query({ workspaceSlug, ref: seeded.refs[0]! });
    await owner.api.task.update.mutate({
      workspaceSlug,
      taskId: task.id,
      version: task.version,
      patch: { assigneeId: assignee.userId },
    });

    const page = assignee.page;
    await openMailLink(page, e2e.baseUrl, assignee.email, /^\/unsubscribe$/);
    // Opening the link changes nothing (mail scanners open links); the button does.
    await page.getByRole("heading", { name: "Stop these emails?" }).waitFor();
    const preferences = () =>
      e2e.db.user.findUniqueOrThrow({
        where: { id: assignee.userId },
        select: { emailOnAssignment: true, emailOnMention: true },
      });
    expect(await preferences()).toEqual({ emailOnAssignment: true, emailOnMention: true });
    await page.getByRole("button", { name: /Stop emails/ }).click();
    await page.getByRole("heading", { name: "Done" }).waitFor();
    expect(await preferences()).toEqual({ emailOnAssignment: false, emailOnMention: true });

    // The bell shows the choice, and turns it back on.
    await page.goto(`${e2e.baseUrl}/w/${workspaceSlug}/my-tasks`);
    await page.getByRole("button", { name: /^Notifications/ }).click();
    const assignments = page.getByRole("checkbox", { name: "Assignments" });
    expect(await assignments.isChecked()).toBe(false);
    expect(await page.getByRole("checkbox", { name: "Mentions" }).isChecked()).toBe(true);
    await assignments.click();
    await expect.poll(() => assignments.isChecked(), { timeout: 10_000 }).toBe(true);
    await expect.poll(async () => (await preferences()).emailOnAssignment, { timeout: 10_000 }).toBe(true);

    // A forged link (someone else's id) is refused.
    await page.goto(`${e2e.baseUrl}/unsubscribe?u=${owner.userId}&k=assignments&t=not-the-signature`);
    await page.getByRole("heading", { name: "This link does not work" }).waitFor();
  });
});
