/**
 * Live updates in real browsers, across two production servers on one database (two replicas behind
 * a load balancer): a board open on one server follows a move made on the other, a task page follows
 * an edit, the notification count rises when someone mentions you, and a person removed from the
 * workspace is taken out of it — all without a reload.
 */
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import type { Page } from "playwright-core";
import { startAppServer, type AppServer } from "../setup/app-server";
import { SESSION_COOKIE } from "../helpers/http";
import { addMember, card, column, mutationAnswered, seedWorkspace, setUpBrowser, type Person } from "./helpers";

const e2e = setUpBrowser();
let second: AppServer | null = null;

beforeAll(async () => {
  second = await startAppServer({
    mode: "start",
    distDir: ".next",
    logFile: path.resolve(import.meta.dirname, "artifacts", "live-second-instance.log"),
    label: "second instance (live)",
    databaseUrl: inject("databaseUrl"),
    extraEnv: { NODE_ENV: "production", MAIL_TRANSPORT: "mailbox" },
  });
}, 180_000);

afterAll(async () => {
  await second?.stop();
});

/** The same person's session, also valid on the second server (its own origin, so its own cookie). */
async function onSecondServer(person: Person): Promise<string> {
  const [cookie] = (await person.context.cookies(e2e.baseUrl)).filter((c) => c.name === SESSION_COOKIE);
  await person.context.addCookies([
    { name: SESSION_COOKIE, value: cookie!.value, url: second!.baseUrl, httpOnly: true, sameSite: "Lax" },
  ]);
  return second!.baseUrl;
}

/** Waits until the page's live stream is connected (the sidebar says "Live"). */
async function waitLive(page: Page): Promise<void> {
  await page.locator('[data-testid="live-status"][data-live="on"]').waitFor();
}

describe("live updates", () => {
  test("a card moved in a browser on one server moves on a board open on the other", async () => {
    const owner = await e2e.signedIn("olga");
    const seeded = await seedWorkspace(owner, { titles: ["Ship it", "Test it"] });
    const member = await e2e.signedIn("milo");
    await addMember(e2e.db, seeded.workspace.id, member, "MEMBER");
    const board = `/w/${seeded.workspace.slug}/projects/${seeded.project.key}`;
    const ref = seeded.refs[0]!;

    await owner.page.goto(`${e2e.baseUrl}${board}`);
    await member.page.goto(`${await onSecondServer(member)}${board}`);
    await Promise.all([waitLive(owner.page), waitLive(member.page)]);
    await card(column(member.page, "TODO"), ref).waitFor();

    await card(column(owner.page, "TODO"), ref).focus();
    const moved = mutationAnswered(owner.page, "task.move");
    await owner.page.keyboard.press("Alt+ArrowRight");
    expect((await moved).status()).toBe(200);
    const answeredAt = Date.now();
    await card(column(member.page, "IN_PROGRESS"), ref).waitFor({ timeout: 5_000 });
    // Reported, not asserted (the benchmark measures delivery latency): the goal is under a second.
    console.info(`[live] move seen on the other server ${Date.now() - answeredAt} ms after task.move answered`);
    expect(await card(column(member.page, "TODO"), ref).count()).toBe(0);

    // And back the other way: the member's move reaches the owner's board.
    await card(column(member.page, "IN_PROGRESS"), ref).focus();
    await member.page.keyboard.press("Alt+ArrowRight");
    await card(column(owner.page, "IN_REVIEW"), ref).waitFor({ timeout: 5_000 });
  });

  test("a change made while the board loads, before its live stream is ready, still reaches it", async () => {
    const owner = await e2e.signedIn("ines");
    const seeded = await seedWorkspace(owner, { titles: ["Caught in between"] });
    const workspaceSlug = seeded.workspace.slug;
    const ref = seeded.refs[0]!;
    // Hold the page's live stream until the change below is made: the board has rendered its data,
    // and without the position the server read first (live.position) the stream would start after it.
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    await owner.page.route("**/api/trpc/live.workspace**", async (route) => {
      await held;
      await route.continue();
    });
    await owner.page.goto(`${e2e.baseUrl}/w/${workspaceSlug}/projects/${seeded.project.key}`);
    await card(column(owner.page, "TODO"), ref).waitFor();
    expect(await owner.page.locator('[data-testid="live-status"][data-live="on"]').count()).toBe(0);

    const task = await owner.api.task.byRef.query({ workspaceSlug, ref });
    await owner.api.task.move.mutate({ workspaceSlug, taskId: task.id, status: "DONE" });
    release();
    await waitLive(owner.page);
    await card(column(owner.page, "DONE"), ref).waitFor({ timeout: 5_000 });
    expect(await card(column(owner.page, "TODO"), ref).count()).toBe(0);
    await owner.page.unroute("**/api/trpc/live.workspace**");
  });

  test("a task page follows a title changed by someone else, and the mentioned person's count rises", async () => {
    const owner = await e2e.signedIn("tara");
    const seeded = await seedWorkspace(owner, { titles: ["Draft the brief"] });
    const member = await e2e.signedIn("mentioned");
    await addMember(e2e.db, seeded.workspace.id, member, "MEMBER");
    const ref = seeded.refs[0]!;
    const workspaceSlug = seeded.workspace.slug;

    await member.page.goto(`${await onSecondServer(member)}/w/${workspaceSlug}/tasks/${ref}`);
    await waitLive(member.page);
    const title = member.page.getByRole("textbox", { name: "Title" });
    await expect.poll(() => title.inputValue()).toBe("Draft the brief");
    expect(await member.page.getByTestId("unread-count").count()).toBe(0);

    const task = await owner.api.task.byRef.query({ workspaceSlug, ref });
    await owner.api.task.update.mutate({
      workspaceSlug,
      taskId: task.id,
      version: task.version,
      patch: { title: "Draft the brief, v2" },
    });
    await expect.poll(() => title.inputValue(), { timeout: 5_000 }).toBe("Draft the brief, v2");

    await owner.api.comment.create.mutate({ workspaceSlug, taskId: task.id, body: `Over to you @${member.handle}` });
    await expect.poll(() => member.page.getByTestId("unread-count").textContent(), { timeout: 5_000 }).toBe("1");
    await member.page.getByTestId("comment").filter({ hasText: "Over to you" }).waitFor({ timeout: 5_000 });
  });

  test("two people on one task, on two servers, see each other there; closing it takes one away", async () => {
    const owner = await e2e.signedIn("pia");
    const seeded = await seedWorkspace(owner, { titles: ["Pair on this"] });
    const member = await e2e.signedIn("quinn");
    await addMember(e2e.db, seeded.workspace.id, member, "MEMBER");
    const taskPath = `/w/${seeded.workspace.slug}/tasks/${seeded.refs[0]!}`;

    await owner.page.goto(`${e2e.baseUrl}${taskPath}`);
    await waitLive(owner.page);
    expect(await owner.page.getByTestId("task-viewers").count()).toBe(0);
    await member.page.goto(`${await onSecondServer(member)}${taskPath}`);
    await waitLive(member.page);
    // The one who arrives learns from the heartbeat's answer; the one already there from the live hint.
    await member.page
      .getByTestId("task-viewers")
      .filter({ hasText: `${owner.name} is also viewing` })
      .waitFor();
    await owner.page
      .getByTestId("task-viewers")
      .filter({ hasText: `${member.name} is also viewing` })
      .waitFor({ timeout: 5_000 });
    await owner.page.screenshot({ path: path.resolve(import.meta.dirname, "artifacts", "presence.png") });

    // The member goes back to the board: the owner sees them leave.
    await member.page.getByRole("link", { name: seeded.project.name }).first().click();
    await owner.page.getByTestId("task-viewers").waitFor({ state: "detached", timeout: 5_000 });
  });

  test("someone removed from the workspace is taken out of it at once", async () => {
    const owner = await e2e.signedIn("rhea");
    const seeded = await seedWorkspace(owner, { titles: ["Secret plan"] });
    const member = await e2e.signedIn("leaving");
    await addMember(e2e.db, seeded.workspace.id, member, "MEMBER");
    await member.page.goto(`${e2e.baseUrl}/w/${seeded.workspace.slug}/projects/${seeded.project.key}`);
    await waitLive(member.page);

    const members = await owner.api.member.list.query({ workspaceSlug: seeded.workspace.slug });
    const membership = members.find((m) => m.user.id === member.userId)!;
    await owner.api.member.remove.mutate({ workspaceSlug: seeded.workspace.slug, memberId: membership.id });
    await member.page.getByText(`You are no longer a member of ${seeded.workspace.name}.`).waitFor({ timeout: 5_000 });
    await member.page.waitForURL((url) => !url.pathname.startsWith(`/w/${seeded.workspace.slug}`));
  });
});
