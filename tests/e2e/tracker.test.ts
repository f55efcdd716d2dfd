/**
 * The tracker, in a real browser: a project and its tasks, moving cards on the
 * board with the mouse and the keyboard, comments with @mentions, the command
 * palette, stable task URLs, edit conflicts between two people, and a retried
 * task.create that must not make two tasks.
 *
 * Every test arranges its own people (signed in by a planted session) and its
 * own workspace through the API, so any one of them can run alone or in any order.
 */
import { randomBytes } from "node:crypto";
import type { Locator, Page, Route } from "playwright-core";
import { describe, expect, test } from "vitest";
import {
  addMember,
  card,
  column,
  columnOf,
  mutationAnswered,
  nextFrames,
  seedWorkspace,
  setUpBrowser,
  type Person,
  type Seeded,
} from "./helpers";

const e2e = setUpBrowser();

const TITLES = ["Design the landing page", "Write the pricing copy", "Set up analytics"] as const;

const boardPath = (s: Seeded) => `/w/${s.workspace.slug}/projects/${s.project.key}`;
const taskPath = (s: Seeded, ref: string) => `/w/${s.workspace.slug}/tasks/${ref}`;

/** A word no task or comment has (letters only, so search treats it as one word). */
function secretWord(): string {
  return `zephyr${randomBytes(4)
    .toString("hex")
    .replace(/[0-9]/g, (d) => "ghijklmnop"[Number(d)] ?? "q")}`;
}

/** An owner with project WEB and the three tasks WEB-1..3 in Todo. */
async function trackerWithTasks(): Promise<{ owner: Person; seeded: Seeded }> {
  const owner = await e2e.signedIn("olivia");
  const seeded = await seedWorkspace(owner, { titles: TITLES });
  return { owner, seeded };
}

/** A second person in the workspace, as a Member. */
async function withMember(seeded: Seeded): Promise<Person> {
  const member = await e2e.signedIn("mateo");
  await addMember(e2e.db, seeded.workspace.id, member, "MEMBER");
  return member;
}

async function openBoard(page: Page, seeded: Seeded): Promise<void> {
  await page.goto(`${e2e.baseUrl}${boardPath(seeded)}`);
  await column(page, "TODO").waitFor();
}

/** With the New task dialog: creates a task in Todo and returns its ref, read from its new card. */
async function createTask(page: Page, projectName: string, title: string): Promise<string> {
  await page.getByRole("button", { name: "New task", exact: true }).click();
  const dialog = page.getByRole("dialog", { name: `New task in ${projectName}` });
  await dialog.getByLabel("Title").fill(title);
  expect(await dialog.getByLabel("Status").inputValue(), "the dialog from the header starts in Todo").toBe("TODO");
  await dialog.getByRole("button", { name: "Create task" }).click();
  await dialog.waitFor({ state: "hidden" });
  const created = column(page, "TODO").getByTestId("board-card").filter({ hasText: title });
  await created.waitFor();
  const ref = await created.getAttribute("data-ref");
  if (!ref) throw new Error(`the card for "${title}" has no data-ref`);
  return ref;
}

/**
 * Drags `source` (the card `ref`) to the point `to` with real pointer events, the
 * way dnd-kit's PointerSensor needs them: press, move past its 6px activation
 * distance in small steps (a frame each), travel to the point, settle, release.
 */
async function dragWithMouse(page: Page, source: Locator, ref: string, to: { x: number; y: number }): Promise<void> {
  const from = await source.boundingBox();
  if (!from) throw new Error(`${ref} is not on screen`);
  const start = { x: from.x + from.width / 2, y: from.y + from.height / 2 };
  await page.mouse.move(start.x, start.y);
  await page.mouse.down();
  for (const step of [3, 6, 9, 12]) {
    await page.mouse.move(start.x + step, start.y + step / 3);
    await nextFrames(page);
  }
  // Picked up: the DragOverlay renders a second copy of the card.
  await expect.poll(() => page.locator(`[data-ref="${ref}"]`).count(), { message: `dnd-kit picked up ${ref}` }).toBe(2);
  await page.mouse.move(to.x, to.y, { steps: 20 });
  await nextFrames(page);
  await page.mouse.move(to.x + 2, to.y + 2, { steps: 2 });
  await nextFrames(page);
  await page.mouse.up();
}

describe("tracker", () => {
  test("creates project WEB from the Projects page and adds tasks with the New task dialog", async () => {
    const owner = await e2e.signedIn("olivia");
    const { workspace } = await seedWorkspace(owner, { project: { key: "OPS", name: "Operations" } });
    const page = owner.page;
    await page.goto(`${e2e.baseUrl}/w/${workspace.slug}`);
    await page.getByRole("button", { name: "New project" }).click();
    const dialog = page.getByRole("dialog", { name: "New project" });
    await dialog.getByLabel("Name").fill("Website");
    expect(await dialog.getByLabel("Key").inputValue(), "a key is suggested from the name").toBe("WEBS");
    await dialog.getByLabel("Key").fill("WEB");
    await dialog.getByRole("button", { name: "Create project" }).click();
    await dialog.waitFor({ state: "hidden" });

    const row = page.locator('[data-testid="project-row"][data-key="WEB"]');
    await row.getByRole("link", { name: "Website" }).click();
    await page.waitForURL((url) => url.pathname === `/w/${workspace.slug}/projects/WEB`);
    await column(page, "TODO").waitFor();

    const refs: string[] = [];
    for (const title of TITLES) refs.push(await createTask(page, "Website", title));
    expect(refs, "tasks are numbered per project, from 1").toEqual(["WEB-1", "WEB-2", "WEB-3"]);

    await page.reload();
    for (const ref of refs) await card(column(page, "TODO"), ref).waitFor();
  });

  test("drags a card from Todo to In progress with the mouse, and it stays there after a reload", async () => {
    const { owner, seeded } = await trackerWithTasks();
    const page = owner.page;
    const ref = seeded.refs[0]!;
    await openBoard(page, seeded);
    const target = column(page, "IN_PROGRESS");
    const box = await target.boundingBox();
    if (!box) throw new Error("the In progress column is not on screen");

    const moved = mutationAnswered(page, "task.move");
    // Into the empty column, where its first card goes: just under the column's heading.
    await dragWithMouse(page, card(column(page, "TODO"), ref), ref, { x: box.x + box.width / 2, y: box.y + 90 });

    await expect
      .poll(() => columnOf(page, ref), {
        timeout: 5_000,
        message: `the column ${ref} is in after being dropped into In progress`,
      })
      .toBe("IN_PROGRESS");
    expect((await moved).status(), "task.move answers 200").toBe(200);
    await card(column(page, "TODO"), ref).waitFor({ state: "detached" });

    await page.reload();
    await card(column(page, "IN_PROGRESS"), ref).waitFor();
    expect(await card(column(page, "TODO"), ref).count(), `${ref} is no longer in Todo after a reload`).toBe(0);
  });

  test("moves a card with the keyboard (Alt+ArrowRight); focus stays on it, so the next Alt+arrow keeps moving it; both moves survive a reload", async () => {
    const { owner, seeded } = await trackerWithTasks();
    const page = owner.page;
    const ref = seeded.refs[1]!;
    await openBoard(page, seeded);
    await card(column(page, "TODO"), ref).focus();

    const first = mutationAnswered(page, "task.move");
    await page.keyboard.press("Alt+ArrowRight");
    await card(column(page, "IN_PROGRESS"), ref).waitFor();
    expect((await first).status(), "task.move answers 200").toBe(200);

    const focused = () =>
      page.evaluate(() => {
        const active = document.activeElement;
        return active?.getAttribute("data-ref")
          ? `${active.getAttribute("data-ref")} in ${active.closest("[data-testid^='column-']")?.getAttribute("data-testid")}`
          : (active?.tagName ?? "nothing");
      });
    await expect
      .poll(focused, { timeout: 2_000, message: "the focused element after the first move" })
      .toBe(`${ref} in column-IN_PROGRESS`);

    const second = mutationAnswered(page, "task.move");
    await page.keyboard.press("Alt+ArrowRight");
    await card(column(page, "IN_REVIEW"), ref).waitFor();
    expect((await second).status(), "task.move answers 200").toBe(200);
    await expect
      .poll(focused, { timeout: 2_000, message: "the focused element after the second move" })
      .toBe(`${ref} in column-IN_REVIEW`);

    await page.reload();
    await card(column(page, "IN_REVIEW"), ref).waitFor();
    expect(await card(column(page, "TODO"), ref).count(), `${ref} is no longer in Todo after a reload`).toBe(0);
  });

  test("a comment mentioning a member renders the mention", async () => {
    const { owner, seeded } = await trackerWithTasks();
    const member = await withMember(seeded);
    const page = owner.page;
    const ref = seeded.refs[2]!;
    const word = secretWord();
    await openBoard(page, seeded);
    await card(page, ref).click();
    await page.waitForURL((url) => url.pathname === taskPath(seeded, ref));

    // Type the mention and take the suggestion with Tab.
    const box = page.getByLabel("Add a comment");
    await box.fill("Heads up ");
    await box.pressSequentially(`@${member.handle.slice(0, -2)}`);
    const suggestions = page.getByRole("listbox", { name: "Mention a member" });
    await suggestions
      .getByRole("option")
      .filter({ hasText: `@${member.handle}` })
      .waitFor();
    await box.press("Tab");
    await expect
      .poll(() => box.inputValue(), { message: "Tab inserts the suggested handle" })
      .toBe(`Heads up @${member.handle} `);
    await suggestions.waitFor({ state: "detached" });
    // The textarea puts the caret after the handle on the next animation frame; a person
    // does not type within that frame (keys typed sooner land after the caret jumps back).
    await nextFrames(page);
    await box.pressSequentially(`please check the ${word} numbers`);
    expect(await box.inputValue()).toBe(`Heads up @${member.handle} please check the ${word} numbers`);
    await page.getByRole("button", { name: "Comment", exact: true }).click();

    const comment = page.getByTestId("comment").filter({ hasText: word });
    await comment.waitFor();
    expect(await comment.locator("span.mention").textContent(), "the mention is rendered as a mention").toBe(
      `@${member.handle}`,
    );
    expect(await box.inputValue(), "the box is cleared after posting").toBe("");
    await page.reload();
    await page.getByTestId("comment").filter({ hasText: word }).locator("span.mention").waitFor();
  });

  /** An owner whose WEB-3 has a comment with a word nothing else has; opens the palette on the board and searches it. */
  async function searchFromBoard() {
    const { owner, seeded } = await trackerWithTasks();
    const ref = seeded.refs[2]!;
    const word = secretWord();
    const task = await owner.api.task.byRef.query({ workspaceSlug: seeded.workspace.slug, ref });
    await owner.api.comment.create.mutate({
      workspaceSlug: seeded.workspace.slug,
      taskId: task.id,
      body: `the ${word} numbers look off`,
    });

    const page = owner.page;
    await openBoard(page, seeded);
    await page.keyboard.press("Control+k");
    const input = page.getByPlaceholder("Search tasks, or type a command…");
    await input.waitFor();
    await input.pressSequentially(word);
    const hit = page.getByTestId("search-hit").filter({ hasText: ref });
    await hit.waitFor();
    expect(await page.getByTestId("search-hit").count(), "only the commented task has the word").toBe(1);
    expect(await hit.textContent()).toContain("in a comment");
    return { page, seeded, ref, input, hit };
  }

  test("the command palette (Ctrl+K) finds the task by a word only its comment has; clicking the hit opens it", async () => {
    const { page, seeded, ref, hit } = await searchFromBoard();
    await hit.click();
    await page.waitForURL((url) => url.pathname === taskPath(seeded, ref));
    await expect.poll(() => page.getByRole("textbox", { name: "Title" }).inputValue()).toBe(TITLES[2]);
  });

  test("in the command palette, Enter opens the first hit", async () => {
    const { page, seeded, ref, input, hit } = await searchFromBoard();
    await expect
      .poll(() => hit.getAttribute("aria-selected"), {
        timeout: 2_000,
        message: "the only hit is selected, so Enter opens it",
      })
      .toBe("true");
    await input.press("Enter");
    await page.waitForURL((url) => url.pathname === taskPath(seeded, ref), { timeout: 5_000 });
    await expect.poll(() => page.getByRole("textbox", { name: "Title" }).inputValue()).toBe(TITLES[2]);
  });

  test("a task opens at its stable URL", async () => {
    const { owner, seeded } = await trackerWithTasks();
    const page = owner.page;
    await page.goto(`${e2e.baseUrl}${taskPath(seeded, "WEB-1")}`);
    expect(await page.getByRole("textbox", { name: "Title" }).inputValue()).toBe(TITLES[0]);
    expect(await page.getByRole("banner").textContent()).toContain("WEB-1");
    expect(await page.title()).toContain("WEB-1");

    // The ref is case-insensitive in the URL.
    await page.goto(`${e2e.baseUrl}${taskPath(seeded, "web-1")}`);
    expect(await page.getByRole("textbox", { name: "Title" }).inputValue()).toBe(TITLES[0]);
  });

  test("a stale edit of a field someone else changed shows the conflict banner with their value, and can be applied on top; a stale edit of another field just saves", async () => {
    const { owner, seeded } = await trackerWithTasks();
    const memberPerson = await withMember(seeded);
    const ownerPage = owner.page;
    const member = memberPerson.page;
    const ref = "WEB-1";
    const ownerTitle = `${TITLES[0]} (v2)`;
    const memberTitle = `${TITLES[0]} (mine)`;
    // Neither page gets live updates (their streams are cut): otherwise a page may learn of the
    // other's change before its person edits, and there would be no stale edit to test.
    for (const page of [member, ownerPage]) await page.route(/\/api\/trpc\/live\.workspace/, (route) => route.abort());
    await ownerPage.goto(`${e2e.baseUrl}${taskPath(seeded, ref)}`);
    await member.goto(`${e2e.baseUrl}${taskPath(seeded, ref)}`);
    const version = Number(await ownerPage.getByTestId("task-version").textContent());
    expect(Number(await member.getByTestId("task-version").textContent()), "both read the same version").toBe(version);

    // The owner renames it.
    const renamed = mutationAnswered(ownerPage, "task.update");
    const ownerTitleBox = ownerPage.getByRole("textbox", { name: "Title" });
    await ownerTitleBox.fill(ownerTitle);
    await ownerTitleBox.press("Enter");
    expect((await renamed).status()).toBe(200);
    await expect.poll(async () => Number(await ownerPage.getByTestId("task-version").textContent())).toBe(version + 1);

    // The member, still on the old version, renames it too: the same field, so a conflict.
    const memberTitleBox = member.getByRole("textbox", { name: "Title" });
    const refused = mutationAnswered(member, "task.update");
    await memberTitleBox.fill(memberTitle);
    await memberTitleBox.press("Enter");
    expect((await refused).status()).toBe(409);
    const banner = member.getByTestId("conflict-banner");
    await banner.waitFor();
    const text = (await banner.textContent()) ?? "";
    expect(text).toContain(`version ${version + 1}`);
    expect(text).toContain("title");
    // Their version is shown, not the member's edit.
    await expect.poll(() => memberTitleBox.inputValue()).toBe(ownerTitle);

    const applied = mutationAnswered(member, "task.update");
    await banner.getByRole("button", { name: "Apply my change on top" }).click();
    expect((await applied).status()).toBe(200);
    await banner.waitFor({ state: "detached" });
    await expect.poll(() => memberTitleBox.inputValue()).toBe(memberTitle);
    expect(Number(await member.getByTestId("task-version").textContent())).toBe(version + 2);

    // The owner, now a version behind, changes the priority: nobody else did, so it just saves,
    // and the page shows the member's title along with it.
    const ownerFields = ownerPage.getByRole("complementary", { name: "Task fields" });
    const prioritized = mutationAnswered(ownerPage, "task.update");
    await ownerFields.getByLabel("Priority").selectOption({ label: "High" });
    expect((await prioritized).status()).toBe(200);
    expect(await ownerPage.getByTestId("conflict-banner").count()).toBe(0);
    await expect.poll(() => ownerTitleBox.inputValue()).toBe(memberTitle);

    // Both changes are saved, for both people.
    for (const page of [member, ownerPage]) {
      await page.reload();
      expect(await page.getByRole("textbox", { name: "Title" }).inputValue()).toBe(memberTitle);
      expect(await page.getByRole("complementary", { name: "Task fields" }).getByLabel("Priority").inputValue()).toBe(
        "HIGH",
      );
    }
  });

  test("a task.create request that reaches the server twice creates one task", async () => {
    const { owner, seeded } = await trackerWithTasks();
    const page = owner.page;
    const title = `Ship the changelog ${randomBytes(3).toString("hex")}`;
    await openBoard(page, seeded);
    const todoCards = column(page, "TODO").getByTestId("board-card");
    await card(column(page, "TODO"), "WEB-3").waitFor();
    const before = await todoCards.count();

    // The network hiccups: the browser's one request reaches the server twice.
    const bodies: string[] = [];
    const failures: string[] = [];
    const isCreate = (url: URL) =>
      url.pathname.startsWith("/api/trpc/") &&
      url.pathname.slice("/api/trpc/".length).split(",").includes("task.create");
    const twice = async (route: Route) => {
      if (route.request().method() !== "POST") return route.continue();
      try {
        const first = await route.fetch();
        bodies.push(await first.text());
        const second = await route.fetch();
        bodies.push(await second.text());
        await route.fulfill({ response: second });
      } catch (error) {
        failures.push((error as Error).message);
        await route.abort();
      }
    };
    await page.route(isCreate, twice);
    const ref = await createTask(page, seeded.project.name, title);
    await page.unroute(isCreate, twice);

    expect(failures).toEqual([]);
    expect(bodies, "the request was sent twice").toHaveLength(2);
    const answered = bodies.map((body) => /"ref":"([A-Z][A-Z0-9]*-\d+)"/.exec(body)?.[1]);
    expect(answered, "both answers name the same task").toEqual([ref, ref]);
    expect(ref).toBe("WEB-4");

    expect(await todoCards.filter({ hasText: title }).count()).toBe(1);
    await page.reload();
    await card(column(page, "TODO"), ref).waitFor();
    expect(await todoCards.filter({ hasText: title }).count(), "one card after a reload").toBe(1);
    expect(await todoCards.count(), "exactly one new card in Todo").toBe(before + 1);

    // And one row in the list view.
    await page.goto(`${e2e.baseUrl}${boardPath(seeded)}?view=list`);
    const rows = page.getByTestId("task-row");
    await rows.filter({ hasText: title }).waitFor();
    expect(await rows.filter({ hasText: title }).count()).toBe(1);
    expect(await rows.count(), "four tasks in the project").toBe(4);

    // The next task gets the next number: the duplicate did not use one up.
    await openBoard(page, seeded);
    expect(await createTask(page, seeded.project.name, `After the changelog ${ref}`)).toBe("WEB-5");
  });
});
