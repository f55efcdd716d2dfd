/**
 * The tracker, in a real browser: a project and its tasks, moving cards on the
 * board with the mouse and the keyboard, comments with @mentions, the command
 * palette, stable task URLs, edit conflicts between two people, and a retried
 * task.create that must not make two tasks.
 *
 * The tests run in order and build on each other: one workspace, owned by the
 * first person, with a second person as a Member.
 */
import { randomBytes } from "node:crypto";
import type { Locator, Page, Route } from "playwright-core";
import { describe, expect, test } from "vitest";
import type { TaskStatus } from "@/shared/tracker";
import {
  acceptInvitation,
  createWorkspace,
  handleOf,
  inviteMember,
  nextFrames,
  openSection,
  setUpBrowser,
  signInInBrowser,
  uniqueEmail,
} from "./helpers";

const e2e = setUpBrowser();

const suffix = randomBytes(3).toString("hex");
const workspace = { name: `Tracker ${suffix}`, slug: `tracker-${suffix}` };
const project = { name: "Website", key: "WEB" };
const ownerEmail = uniqueEmail("olivia");
const memberEmail = uniqueEmail("mateo");
const TITLES = ["Design the landing page", "Write the pricing copy", "Set up analytics"] as const;
/** A word no task or comment has but the one comment that introduces it (letters only). */
const secretWord = `zephyr${randomBytes(4).toString("hex").replace(/[0-9]/g, (d) => "ghijklmnop"[Number(d)] ?? "q")}`;

/** Shared by the tests below, in order. */
let owner: Page;
let member: Page;
let memberHandle = "";
const refs: string[] = [];

const boardPath = () => `/w/${workspace.slug}/projects/${project.key}`;
const taskPath = (ref: string) => `/w/${workspace.slug}/tasks/${ref}`;

function column(page: Page, status: TaskStatus): Locator {
  return page.getByTestId(`column-${status}`);
}

function card(scope: Page | Locator, ref: string): Locator {
  return scope.locator(`[data-testid="board-card"][data-ref="${ref}"]`);
}

async function openBoard(page: Page): Promise<void> {
  await page.goto(`${e2e.baseUrl}${boardPath()}`);
  await column(page, "TODO").waitFor();
}

/** The response to the next POST of tRPC mutation `path` (alone or in a batch); start waiting before the action that sends it. */
function mutationAnswered(page: Page, path: string) {
  const answered = page.waitForResponse((res) => {
    const url = new URL(res.url());
    return res.request().method() === "POST" && url.pathname.startsWith("/api/trpc/") && url.pathname.slice("/api/trpc/".length).split(",").includes(path);
  });
  // Awaited by the test when it gets that far; never an unhandled rejection when it does not.
  answered.catch(() => undefined);
  return answered;
}

/** The board column a card is in ("IN_PROGRESS"), or null when it is on no column. */
function columnOf(page: Page, ref: string): Promise<string | null> {
  return page.evaluate((r) => {
    const found = document.querySelector(`[data-testid^="column-"] [data-testid="board-card"][data-ref="${r}"]`);
    return found?.closest("[data-testid^='column-']")?.getAttribute("data-testid")?.replace(/^column-/, "") ?? null;
  }, ref);
}

/** With the New task dialog: creates a task in Todo and returns its ref, read from its new card. */
async function createTask(page: Page, title: string): Promise<string> {
  await page.getByRole("button", { name: "New task", exact: true }).click();
  const dialog = page.getByRole("dialog", { name: `New task in ${project.name}` });
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
  test("setup: an owner with a workspace, and a second person who joins it as a Member", async () => {
    const ownerContext = await e2e.newContext();
    owner = await signInInBrowser(ownerContext, e2e.baseUrl, ownerEmail);
    await createWorkspace(owner, workspace.name, workspace.slug);
    await openSection(owner, workspace.slug, "Members", "/members");
    await inviteMember(owner, memberEmail, "Member");

    const memberContext = await e2e.newContext();
    member = await signInInBrowser(memberContext, e2e.baseUrl, memberEmail);
    await acceptInvitation(member, e2e.baseUrl, memberEmail, workspace);

    await owner.reload();
    memberHandle = await handleOf(owner, memberEmail);
    expect(memberHandle).toMatch(/^mateo-/);
  });

  test("creates project WEB from the Projects page and adds tasks with the New task dialog", async () => {
    await openSection(owner, workspace.slug, "Projects", "");
    await owner.getByRole("button", { name: "New project" }).click();
    const dialog = owner.getByRole("dialog", { name: "New project" });
    await dialog.getByLabel("Name").fill(project.name);
    expect(await dialog.getByLabel("Key").inputValue(), "a key is suggested from the name").toBe("WEBS");
    await dialog.getByLabel("Key").fill(project.key);
    await dialog.getByRole("button", { name: "Create project" }).click();
    await dialog.waitFor({ state: "hidden" });

    const row = owner.locator(`[data-testid="project-row"][data-key="${project.key}"]`);
    await row.getByRole("link", { name: project.name }).click();
    await owner.waitForURL((url) => url.pathname === boardPath());
    await column(owner, "TODO").waitFor();

    for (const title of TITLES) refs.push(await createTask(owner, title));
    expect(refs, "tasks are numbered per project, from 1").toEqual(["WEB-1", "WEB-2", "WEB-3"]);

    await owner.reload();
    for (const ref of refs) await card(column(owner, "TODO"), ref).waitFor();
  });

  test("drags a card from Todo to In progress with the mouse, and it stays there after a reload", async () => {
    const ref = "WEB-1";
    await openBoard(owner);
    const target = column(owner, "IN_PROGRESS");
    const box = await target.boundingBox();
    if (!box) throw new Error("the In progress column is not on screen");

    const moved = mutationAnswered(owner, "task.move");
    // Into the empty column, where its first card goes: just under the column's heading.
    await dragWithMouse(owner, card(column(owner, "TODO"), ref), ref, { x: box.x + box.width / 2, y: box.y + 90 });

    await expect.poll(() => columnOf(owner, ref), { timeout: 5_000, message: `the column ${ref} is in after being dropped into In progress` }).toBe("IN_PROGRESS");
    expect((await moved).status(), "task.move answers 200").toBe(200);
    await card(column(owner, "TODO"), ref).waitFor({ state: "detached" });

    await owner.reload();
    await card(column(owner, "IN_PROGRESS"), ref).waitFor();
    expect(await card(column(owner, "TODO"), ref).count(), `${ref} is no longer in Todo after a reload`).toBe(0);
  });

  test("moves a card with the keyboard (Alt+ArrowRight), and the new column survives a reload", async () => {
    const ref = "WEB-2";
    await openBoard(owner);
    const source = card(column(owner, "TODO"), ref);
    await source.focus();
    const moved = mutationAnswered(owner, "task.move");
    await owner.keyboard.press("Alt+ArrowRight");

    await card(column(owner, "IN_PROGRESS"), ref).waitFor();
    expect((await moved).status(), "task.move answers 200").toBe(200);

    await owner.reload();
    await card(column(owner, "IN_PROGRESS"), ref).waitFor();
    expect(await card(column(owner, "TODO"), ref).count(), `${ref} is no longer in Todo after a reload`).toBe(0);
  });

  test("after Alt+ArrowRight the focus stays on the moved card, so the next Alt+arrow keeps moving it", async () => {
    const ref = "WEB-2";
    await openBoard(owner);
    await card(column(owner, "IN_PROGRESS"), ref).focus();
    const moved = mutationAnswered(owner, "task.move");
    await owner.keyboard.press("Alt+ArrowRight");
    const target = card(column(owner, "IN_REVIEW"), ref);
    await target.waitFor();
    expect((await moved).status(), "task.move answers 200").toBe(200);
    const focused = () => owner.evaluate(() => {
      const active = document.activeElement;
      return active?.getAttribute("data-ref") ? `${active.getAttribute("data-ref")} in ${active.closest("[data-testid^='column-']")?.getAttribute("data-testid")}` : (active?.tagName ?? "nothing");
    });
    await expect.poll(focused, { timeout: 2_000, message: "the focused element after the move" }).toBe(`${ref} in column-IN_REVIEW`);
  });

  test("a comment mentioning a member renders the mention", async () => {
    const ref = "WEB-3";
    await openBoard(owner);
    await card(owner, ref).click();
    await owner.waitForURL((url) => url.pathname === taskPath(ref));

    // Type the mention and take the suggestion with Tab.
    const box = owner.getByLabel("Add a comment");
    await box.fill("Heads up ");
    await box.pressSequentially(`@${memberHandle.slice(0, -2)}`);
    const suggestions = owner.getByRole("listbox", { name: "Mention a member" });
    await suggestions.getByRole("option").filter({ hasText: `@${memberHandle}` }).waitFor();
    await box.press("Tab");
    await expect.poll(() => box.inputValue(), { message: "Tab inserts the suggested handle" }).toBe(`Heads up @${memberHandle} `);
    await suggestions.waitFor({ state: "detached" });
    // The textarea puts the caret after the handle on the next animation frame; a person
    // does not type within that frame (keys typed sooner land after the caret jumps back).
    await nextFrames(owner);
    await box.pressSequentially(`please check the ${secretWord} numbers`);
    expect(await box.inputValue()).toBe(`Heads up @${memberHandle} please check the ${secretWord} numbers`);
    await owner.getByRole("button", { name: "Comment", exact: true }).click();

    const comment = owner.getByTestId("comment").filter({ hasText: secretWord });
    await comment.waitFor();
    expect(await comment.locator("span.mention").textContent(), "the mention is rendered as a mention").toBe(`@${memberHandle}`);
    expect(await box.inputValue(), "the box is cleared after posting").toBe("");
    await owner.reload();
    await owner.getByTestId("comment").filter({ hasText: secretWord }).locator("span.mention").waitFor();
  });

  /** From the board: Ctrl+K, type the word only the comment on WEB-3 has; returns the palette's input and the hit. */
  async function searchFromBoard(page: Page) {
    await openBoard(page);
    await page.keyboard.press("Control+k");
    const input = page.getByPlaceholder("Search tasks, or type a command…");
    await input.waitFor();
    await input.pressSequentially(secretWord);
    const hit = page.getByTestId("search-hit").filter({ hasText: "WEB-3" });
    await hit.waitFor();
    expect(await page.getByTestId("search-hit").count(), "only the commented task has the word").toBe(1);
    expect(await hit.textContent()).toContain("in a comment");
    return { input, hit };
  }

  test("the command palette (Ctrl+K) finds the task by a word only its comment has; clicking the hit opens it", async () => {
    const { hit } = await searchFromBoard(owner);
    await hit.click();
    await owner.waitForURL((url) => url.pathname === taskPath("WEB-3"));
    await expect.poll(() => owner.getByRole("textbox", { name: "Title" }).inputValue()).toBe(TITLES[2]);
  });

  test("in the command palette, Enter opens the first hit", async () => {
    const { input, hit } = await searchFromBoard(owner);
    await expect.poll(() => hit.getAttribute("aria-selected"), { timeout: 2_000, message: "the only hit is selected, so Enter opens it" }).toBe("true");
    await input.press("Enter");
    await owner.waitForURL((url) => url.pathname === taskPath("WEB-3"), { timeout: 5_000 });
    await expect.poll(() => owner.getByRole("textbox", { name: "Title" }).inputValue()).toBe(TITLES[2]);
  });

  test("a task opens at its stable URL", async () => {
    await owner.goto(`${e2e.baseUrl}${taskPath("WEB-1")}`);
    expect(await owner.getByRole("textbox", { name: "Title" }).inputValue()).toBe(TITLES[0]);
    expect(await owner.getByRole("banner").textContent()).toContain("WEB-1");
    expect(await owner.title()).toContain("WEB-1");

    // The ref is case-insensitive in the URL.
    await owner.goto(`${e2e.baseUrl}${taskPath("web-1")}`);
    expect(await owner.getByRole("textbox", { name: "Title" }).inputValue()).toBe(TITLES[0]);
  });

  test("a stale edit shows the conflict banner with the newer title instead of overwriting, and can be applied on top", async () => {
    const ref = "WEB-1";
    const newTitle = `${TITLES[0]} (v2)`;
    await owner.goto(`${e2e.baseUrl}${taskPath(ref)}`);
    await member.goto(`${e2e.baseUrl}${taskPath(ref)}`);
    const version = Number(await owner.getByTestId("task-version").textContent());
    expect(Number(await member.getByTestId("task-version").textContent()), "both read the same version").toBe(version);

    // The owner renames it.
    const renamed = mutationAnswered(owner, "task.update");
    const ownerTitle = owner.getByRole("textbox", { name: "Title" });
    await ownerTitle.fill(newTitle);
    await ownerTitle.press("Enter");
    expect((await renamed).status()).toBe(200);
    await expect.poll(async () => Number(await owner.getByTestId("task-version").textContent())).toBe(version + 1);

    // The member, still on the old version, changes the priority.
    const memberFields = member.getByRole("complementary", { name: "Task fields" });
    await memberFields.getByLabel("Priority").selectOption({ label: "High" });
    const banner = member.getByTestId("conflict-banner");
    await banner.waitFor();
    const text = (await banner.textContent()) ?? "";
    expect(text).toContain(`version ${version + 1}`);
    expect(text).toContain("priority");
    // Their version is shown, not the member's edit.
    await expect.poll(() => member.getByRole("textbox", { name: "Title" }).inputValue()).toBe(newTitle);
    expect(await memberFields.getByLabel("Priority").inputValue(), "the unsaved priority is not shown as saved").toBe("NONE");

    const applied = mutationAnswered(member, "task.update");
    await banner.getByRole("button", { name: "Apply my change on top" }).click();
    expect((await applied).status()).toBe(200);
    await banner.waitFor({ state: "detached" });
    await expect.poll(() => memberFields.getByLabel("Priority").inputValue()).toBe("HIGH");
    expect(Number(await member.getByTestId("task-version").textContent())).toBe(version + 2);

    // Both changes are saved, for both people.
    for (const page of [member, owner]) {
      await page.reload();
      expect(await page.getByRole("textbox", { name: "Title" }).inputValue()).toBe(newTitle);
      expect(await page.getByRole("complementary", { name: "Task fields" }).getByLabel("Priority").inputValue()).toBe("HIGH");
    }
  });

  test("a task.create request that reaches the server twice creates one task", async () => {
    const title = `Ship the changelog ${suffix}`;
    await openBoard(owner);
    const todoCards = column(owner, "TODO").getByTestId("board-card");
    await card(column(owner, "TODO"), "WEB-3").waitFor();
    const before = await todoCards.count();

    // The network hiccups: the browser's one request reaches the server twice.
    const bodies: string[] = [];
    const failures: string[] = [];
    const isCreate = (url: URL) => url.pathname.startsWith("/api/trpc/") && url.pathname.slice("/api/trpc/".length).split(",").includes("task.create");
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
    await owner.route(isCreate, twice);
    const ref = await createTask(owner, title);
    await owner.unroute(isCreate, twice);

    expect(failures).toEqual([]);
    expect(bodies, "the request was sent twice").toHaveLength(2);
    const answered = bodies.map((body) => /"ref":"([A-Z][A-Z0-9]*-\d+)"/.exec(body)?.[1]);
    expect(answered, "both answers name the same task").toEqual([ref, ref]);
    expect(ref).toBe("WEB-4");

    expect(await todoCards.filter({ hasText: title }).count()).toBe(1);
    await owner.reload();
    await card(column(owner, "TODO"), ref).waitFor();
    expect(await todoCards.filter({ hasText: title }).count(), "one card after a reload").toBe(1);
    expect(await todoCards.count(), "exactly one new card in Todo").toBe(before + 1);

    // And one row in the list view.
    await owner.goto(`${e2e.baseUrl}${boardPath()}?view=list`);
    const rows = owner.getByTestId("task-row");
    await rows.filter({ hasText: title }).waitFor();
    expect(await rows.filter({ hasText: title }).count()).toBe(1);
    expect(await rows.count(), "four tasks in the project").toBe(4);

    // The next task gets the next number: the duplicate did not use one up.
    await openBoard(owner);
    expect(await createTask(owner, `After the changelog ${suffix}`)).toBe("WEB-5");
  });
});
