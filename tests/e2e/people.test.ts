/**
 * What people see, in a real browser: a viewer's read-only board and task page,
 * a role taken away in another browser, refused edits that explain themselves
 * and keep the person's text, label chips that show what is assigned, and the
 * board and list at laptop widths.
 *
 * Every test arranges its own people and workspace; none depends on another.
 */
import type { Page } from "playwright-core";
import { describe, expect, test } from "vitest";
import {
  addMember,
  card,
  column,
  columnOf,
  mutationAnswered,
  nextFrames,
  openSection,
  seedWorkspace,
  setRole,
  setUpBrowser,
  type Person,
  type Seeded,
} from "./helpers";

const e2e = setUpBrowser();

const taskUrl = (s: Seeded, ref: string) => `${e2e.baseUrl}/w/${s.workspace.slug}/tasks/${ref}`;
const boardUrl = (s: Seeded) => `${e2e.baseUrl}/w/${s.workspace.slug}/projects/${s.project.key}`;

/** An owner's workspace with tasks, and a second person in it with `role`. */
async function workspaceWith(
  role: "MEMBER" | "VIEWER",
  titles: readonly string[] = ["Plan the launch", "Write the announcement"],
) {
  const owner = await e2e.signedIn("owner");
  const seeded = await seedWorkspace(owner, { titles });
  const person = await e2e.signedIn(role.toLowerCase());
  await addMember(e2e.db, seeded.workspace.id, person, role);
  return { owner, person, seeded };
}

/** Paths of the tRPC calls a page sends from now on (batched calls count each). */
function recordCalls(page: Page): string[] {
  const calls: string[] = [];
  page.on("request", (req) => {
    const url = new URL(req.url());
    if (url.pathname.startsWith("/api/trpc/")) calls.push(...url.pathname.slice("/api/trpc/".length).split(","));
  });
  return calls;
}

describe("viewers", () => {
  test("a viewer's board says read-only, offers no new task and no drag, and pressing and moving across cards selects no text", async () => {
    const { person: viewer, seeded } = await workspaceWith("VIEWER");
    const page = viewer.page;
    const ref = seeded.refs[0]!;
    await page.goto(boardUrl(seeded));
    await card(column(page, "TODO"), ref).waitFor();

    const note = page.getByRole("banner").getByTestId("read-only");
    await note.waitFor();
    expect(await note.textContent()).toContain("Read-only");
    expect(await note.getAttribute("role")).toBe("note");
    expect(await page.getByRole("button", { name: "New task", exact: true }).count(), "no New task button").toBe(0);
    expect(await page.getByRole("button", { name: /^New task in / }).count(), "no + in the columns").toBe(0);
    expect(await card(page, ref).getAttribute("aria-label"), "a viewer is not told to move cards").not.toContain(
      "Alt+arrows",
    );
    expect(
      await card(page, ref).getAttribute("aria-disabled"),
      "the card still opens the task: not announced as unavailable",
    ).toBeNull();

    // Press on a card and sweep across the board, as if dragging it.
    const calls = recordCalls(page);
    const from = await card(page, ref).boundingBox();
    const to = await column(page, "IN_REVIEW").boundingBox();
    if (!from || !to) throw new Error("the card or the In review column is not on screen");
    await page.mouse.move(from.x + 20, from.y + 20);
    await page.mouse.down();
    await page.mouse.move(to.x + to.width / 2, to.y + 200, { steps: 15 });
    await nextFrames(page);
    expect(await page.locator(`[data-ref="${ref}"]`).count(), "no drag overlay: the card is not picked up").toBe(1);
    expect(await page.evaluate(() => window.getSelection()?.toString() ?? ""), "no text is selected").toBe("");
    await page.mouse.up();
    await nextFrames(page);
    expect(await columnOf(page, ref)).toBe("TODO");
    expect(
      calls.filter((c) => c === "task.move"),
      "nothing was sent",
    ).toEqual([]);
    expect(await page.evaluate(() => window.getSelection()?.toString() ?? "")).toBe("");

    // A click still opens the task.
    await card(page, ref).click();
    await page.waitForURL((url) => url.pathname === `/w/${seeded.workspace.slug}/tasks/${ref}`);
  });

  test("a viewer's task page says read-only and shows the fields as text, not as controls they cannot use", async () => {
    const { owner, person: viewer, seeded } = await workspaceWith("VIEWER");
    const ref = seeded.refs[0]!;
    const label = await owner.api.label.create.mutate({
      workspaceSlug: seeded.workspace.slug,
      name: "launch",
      color: "#3b82f6",
    });
    const task = await owner.api.task.byRef.query({ workspaceSlug: seeded.workspace.slug, ref });
    await owner.api.task.update.mutate({
      workspaceSlug: seeded.workspace.slug,
      taskId: task.id,
      version: task.version,
      patch: { priority: "HIGH", labelIds: [label.id] },
    });

    const page = viewer.page;
    await page.goto(taskUrl(seeded, ref));
    await page.getByRole("heading", { name: "Plan the launch" }).waitFor();
    await page.getByRole("banner").getByTestId("read-only").waitFor();

    const fields = page.getByRole("complementary", { name: "Task fields" });
    const values = (await fields.getByTestId("read-only-fields").textContent()) ?? "";
    for (const shown of ["Todo", "High", "Unassigned", "launch"]) expect(values).toContain(shown);
    expect(await fields.locator("select, input, button").count(), "no controls among the fields").toBe(0);
    expect(await page.getByRole("textbox", { name: "Title" }).count()).toBe(0);
    expect(await page.getByRole("button", { name: "Edit description" }).count()).toBe(0);
    expect(await page.getByLabel("Add a comment").count()).toBe(0);
    expect(await page.getByRole("button", { name: "Delete", exact: true }).count()).toBe(0);

    // Settings: the name field they cannot change is disabled and looks it.
    await openSection(page, seeded.workspace.slug, "Settings", "/settings");
    const name = page.getByLabel("Name", { exact: true });
    expect(await name.isDisabled()).toBe(true);
    const style = await name.evaluate((el) => ({
      background: getComputedStyle(el).backgroundColor,
      cursor: getComputedStyle(el).cursor,
    }));
    expect(style.background, "a disabled field is not white").not.toBe("rgb(255, 255, 255)");
    expect(style.cursor).toBe("not-allowed");
    await page.getByText("Only owners and admins can rename the workspace.").waitFor();
  });

  test("demoted in another browser mid-edit: the refused change turns the page read-only, says so, and keeps the unsent comment", async () => {
    const { person: member, seeded } = await workspaceWith("MEMBER");
    const page = member.page;
    await page.goto(taskUrl(seeded, seeded.refs[0]!));
    const fields = page.getByRole("complementary", { name: "Task fields" });
    await fields.getByLabel("Priority").waitFor();
    const draft = "A long thought about the launch that I would hate to type again.";
    await page.getByLabel("Add a comment").fill(draft);

    // An admin makes them a Viewer elsewhere; this page does not know yet.
    await setRole(e2e.db, seeded.workspace.id, member, "VIEWER");
    const refused = mutationAnswered(page, "task.update");
    await fields.getByLabel("Priority").selectOption({ label: "High" });
    expect((await refused).status(), "the server refuses the edit").toBe(403);

    // The page catches up with the role the server enforces.
    await page.getByRole("banner").getByTestId("read-only").waitFor();
    await page.getByText(`Your role in ${seeded.workspace.name} is now Viewer.`).waitFor();
    await fields.getByTestId("read-only-fields").waitFor();
    expect(await fields.locator("select").count(), "no edit controls are left").toBe(0);
    expect(await page.getByLabel("Add a comment").count()).toBe(0);
    expect(await page.getByLabel("Your unsent comment").inputValue(), "the draft is still there to copy").toBe(draft);
  });
});

describe("refused edits explain themselves and keep the text", () => {
  async function openTask(): Promise<{ owner: Person; seeded: Seeded; page: Page }> {
    const owner = await e2e.signedIn("owner");
    const seeded = await seedWorkspace(owner, { titles: ["Plan the launch"] });
    await owner.page.goto(taskUrl(seeded, seeded.refs[0]!));
    await owner.page.getByRole("textbox", { name: "Title" }).waitFor();
    return { owner, seeded, page: owner.page };
  }

  test("clearing the title puts it back and says a title is required; nothing is sent", async () => {
    const { page } = await openTask();
    const calls = recordCalls(page);
    const title = page.getByRole("textbox", { name: "Title" });
    await title.fill("");
    await title.press("Enter");
    const why = page.getByTestId("title-reverted");
    await why.waitFor();
    expect(await why.textContent()).toContain("A title is required");
    expect(await title.inputValue()).toBe("Plan the launch");
    expect(await title.getAttribute("aria-describedby"), "the reason is tied to the field").toBe(
      await why.getAttribute("id"),
    );
    expect(calls.filter((c) => c === "task.update")).toEqual([]);
  });

  test("a title the server refuses stays in the field with the reason in words (never an input path), and Escape undoes it", async () => {
    const { page } = await openTask();
    const title = page.getByRole("textbox", { name: "Title" });
    const tooLong = "Plan the launch with every team and every detail written down ".repeat(4).trim();
    expect(tooLong.length).toBeGreaterThan(200);
    const refused = mutationAnswered(page, "task.update");
    await title.fill(tooLong);
    await title.press("Enter");
    expect((await refused).status()).toBe(400);

    const error = page.getByTestId("title-error");
    await error.waitFor();
    expect(await error.textContent()).toContain("Title: use at most 200 characters");
    expect(await title.inputValue(), "the person's text is kept").toBe(tooLong);
    expect(await title.getAttribute("aria-invalid")).toBe("true");
    expect(await page.locator("body").textContent(), "no internal path anywhere, toasts included").not.toContain(
      "patch.",
    );

    await title.press("Escape");
    expect(await title.inputValue()).toBe("Plan the launch");
  });

  test("a description and a comment the server refuses stay in their boxes with the reason", async () => {
    const { page } = await openTask();
    await page.getByRole("button", { name: "Edit description" }).click();
    const description = page.getByRole("textbox", { name: "Description" });
    const longDescription = "d".repeat(50_001);
    await description.fill(longDescription);
    const refused = mutationAnswered(page, "task.update");
    await page.getByRole("button", { name: "Save", exact: true }).click();
    expect((await refused).status()).toBe(400);
    await page.getByText("Not saved: Description: use at most 50,000 characters").waitFor();
    expect((await description.inputValue()).length, "the description draft is kept").toBe(longDescription.length);

    const box = page.getByLabel("Add a comment");
    const longComment = `${"A very long comment. ".repeat(500)}end`;
    expect(longComment.length).toBeGreaterThan(10_000);
    await box.fill(longComment);
    const notPosted = mutationAnswered(page, "comment.create");
    await page.getByRole("button", { name: "Comment", exact: true }).click();
    expect((await notPosted).status()).toBe(400);
    await page.getByText("Not posted: Use at most 10,000 characters").waitFor();
    expect(await box.inputValue(), "the comment draft is kept").toBe(longComment);
    expect(await page.locator("body").textContent()).not.toContain("patch.");
  });
});

describe("label chips", () => {
  test("assigned and available labels look different, are announced as pressed or not, and toggle", async () => {
    const owner = await e2e.signedIn("owner");
    const seeded = await seedWorkspace(owner, { titles: ["Plan the launch"] });
    const slug = seeded.workspace.slug;
    const bug = await owner.api.label.create.mutate({ workspaceSlug: slug, name: "bug", color: "#ef4444" });
    await owner.api.label.create.mutate({ workspaceSlug: slug, name: "design", color: "#a855f7" });
    const task = await owner.api.task.byRef.query({ workspaceSlug: slug, ref: seeded.refs[0]! });
    await owner.api.task.update.mutate({
      workspaceSlug: slug,
      taskId: task.id,
      version: task.version,
      patch: { labelIds: [bug.id] },
    });

    const page = owner.page;
    await page.goto(taskUrl(seeded, seeded.refs[0]!));
    const group = page.getByRole("complementary", { name: "Task fields" }).getByRole("group", { name: "Labels" });
    const assigned = group.getByRole("button", { name: "bug", exact: true });
    const available = group.getByRole("button", { name: "design", exact: true });
    expect(await assigned.getAttribute("aria-pressed")).toBe("true");
    expect(await available.getAttribute("aria-pressed")).toBe("false");

    const look = (chip: typeof assigned) =>
      chip.evaluate((el) => {
        const style = getComputedStyle(el);
        return {
          background: style.backgroundColor,
          border: style.borderTopStyle,
          icon: el.querySelector("svg path")?.getAttribute("d") ?? "",
        };
      });
    const on = await look(assigned);
    const off = await look(available);
    expect(on.background, "filled vs not").not.toBe(off.background);
    expect([on.border, off.border], "solid vs dashed outline").toEqual(["solid", "dashed"]);
    expect(on.icon, "a check mark vs a plus").not.toBe(off.icon);

    const saved = mutationAnswered(page, "task.update");
    await available.click();
    expect((await saved).status()).toBe(200);
    await expect.poll(() => available.getAttribute("aria-pressed")).toBe("true");
    await page.reload();
    expect(
      await page
        .getByRole("complementary", { name: "Task fields" })
        .getByRole("button", { name: "design", exact: true })
        .getAttribute("aria-pressed"),
    ).toBe("true");
  });
});

describe("laptop widths", () => {
  for (const viewport of [
    { width: 1280, height: 800 },
    { width: 1440, height: 900 },
  ]) {
    test(`at ${viewport.width}px the board scrolls sideways in its own box, with buttons to reach the hidden columns, and the page never overflows`, async () => {
      const owner = await e2e.signedIn("owner", { viewport });
      const seeded = await seedWorkspace(owner, { titles: ["Plan the launch"] });
      const page = owner.page;
      await page.goto(boardUrl(seeded));
      await column(page, "CANCELED").waitFor();

      const layout = () =>
        page.evaluate(() => {
          const board = document.querySelector<HTMLElement>('[data-testid="board"]')!;
          const box = board.getBoundingClientRect();
          const last = document.querySelector('[data-testid="column-CANCELED"]')!.getBoundingClientRect();
          return {
            pageOverflow: document.documentElement.scrollWidth - window.innerWidth,
            overflowX: getComputedStyle(board).overflowX,
            hidden: board.scrollWidth - board.clientWidth,
            scrollLeft: board.scrollLeft,
            boardBottom: box.bottom,
            lastColumnVisible: last.left >= box.left && last.right <= box.right,
          };
        });
      const before = await layout();
      expect(before.pageOverflow, "no page-level horizontal overflow").toBeLessThanOrEqual(0);
      expect(before.overflowX).toBe("auto");
      expect(before.hidden, "the board is wider than its box").toBeGreaterThan(0);
      expect(before.boardBottom, "the board (and its scrollbar) ends on screen").toBeLessThanOrEqual(viewport.height);
      expect(before.lastColumnVisible).toBe(false);

      const right = page.getByRole("button", { name: "Scroll board columns right" });
      // The board arrives rendered by the server; the scroll buttons appear once it has hydrated and measured itself.
      await right.waitFor();
      expect(
        await page.getByRole("button", { name: "Scroll board columns left" }).count(),
        "nothing hidden on the left yet",
      ).toBe(0);
      await right.click();
      await expect
        .poll(async () => (await layout()).lastColumnVisible, { message: "the Canceled column after scrolling right" })
        .toBe(true);
      expect((await layout()).pageOverflow).toBeLessThanOrEqual(0);
      await page.getByRole("button", { name: "Scroll board columns left" }).waitFor();
      await expect.poll(() => right.count(), { message: "no Scroll right button at the end" }).toBe(0);
    });

    test(`at ${viewport.width}px the list's filters fit without clipping a control or their text`, async () => {
      const owner = await e2e.signedIn("owner", { viewport });
      const seeded = await seedWorkspace(owner, { titles: ["Plan the launch"] });
      const page = owner.page;
      await page.goto(`${boardUrl(seeded)}?view=list`);
      await page.getByTestId("task-row").first().waitFor();

      const problems = await page.getByRole("toolbar", { name: "Filters" }).evaluate((bar) => {
        const found: string[] = [];
        const barBox = bar.getBoundingClientRect();
        for (const control of Array.from(bar.querySelectorAll<HTMLElement>("select, button"))) {
          const name = control.getAttribute("aria-label") ?? control.textContent ?? control.tagName;
          const box = control.getBoundingClientRect();
          if (box.left < barBox.left - 0.5 || box.right > barBox.right + 0.5)
            found.push(`${name} sticks out of the bar`);
          if (control instanceof HTMLSelectElement) {
            // The width the browser needs to show the chosen option whole (text, padding and its
            // own arrow): a copy of the select, same classes, holding only that option, at auto width.
            const text = control.selectedOptions[0]?.text ?? "";
            const probe = control.cloneNode(false) as HTMLSelectElement;
            probe.append(new Option(text));
            probe.style.width = "auto";
            probe.style.maxWidth = "none";
            control.parentElement!.append(probe);
            const needed = probe.getBoundingClientRect().width;
            probe.remove();
            if (needed > box.width + 0.5) found.push(`${name}: "${text}" is cut off (${box.width}px of ${needed}px)`);
          } else if (control.scrollWidth > control.clientWidth + 0.5) {
            found.push(`${name} is cut off`);
          }
        }
        if (document.documentElement.scrollWidth > window.innerWidth) found.push("the page overflows sideways");
        return found;
      });
      expect(problems).toEqual([]);
    });
  }
});
