/**
 * Search in a real browser: the palette's "See all results" opens the search page with
 * the query in the URL; the page lists every match (more than the palette shows), most
 * relevant first, and scrolls to the last one; text written as markup is found; the
 * query, edited on the page, follows into the URL; the project list's search box filters.
 *
 * Each test arranges its own person (a planted session) and workspace through the API.
 */
import { randomBytes, randomUUID } from "node:crypto";
import type { Page } from "playwright-core";
import { describe, expect, test } from "vitest";
import { seedWorkspace, setUpBrowser, type Person, type Seeded } from "./helpers";

const e2e = setUpBrowser();

/** A word no other task has (letters only, so search treats it as one word). */
function secretWord(): string {
  return `quokka${randomBytes(4)
    .toString("hex")
    .replace(/[0-9]/g, (d) => "ghijklmnop"[Number(d)] ?? "q")}`;
}

/** An owner with project WEB and `count` tasks whose titles have `word` (made through the API, oldest first). */
async function withMatches(count: number, word: string): Promise<{ owner: Person; seeded: Seeded }> {
  const owner = await e2e.signedIn("sasha");
  const seeded = await seedWorkspace(owner, { titles: ["Unrelated chore", "Another unrelated chore"] });
  for (let i = 1; i <= count; i++) {
    await owner.api.task.create.mutate({
      workspaceSlug: seeded.workspace.slug,
      projectId: seeded.project.id,
      title: `Match ${i} about ${word}`,
      idempotencyKey: randomUUID(),
    });
  }
  return { owner, seeded };
}

const rows = (page: Page) => page.getByTestId("task-list").getByTestId("task-row");

async function openPalette(page: Page, query: string): Promise<void> {
  await page.keyboard.press("Control+k");
  const input = page.getByPlaceholder("Search tasks, or type a command…");
  await input.waitFor();
  await input.pressSequentially(query);
}

describe("search", () => {
  test("the palette shows the best few; See all results opens every match, scrolling to the last", async () => {
    const word = secretWord();
    // 60 matches: more than the palette's 12 and than one page of the list (50).
    const { owner, seeded } = await withMatches(60, word);
    const page = owner.page;
    await page.goto(`${e2e.baseUrl}/w/${seeded.workspace.slug}/my-tasks`);
    await openPalette(page, word);
    await page.getByTestId("search-hit").first().waitFor();
    expect(await page.getByTestId("search-hit").count(), "the palette stops at 12").toBe(12);

    await page.getByTestId("search-see-all").click();
    await page.waitForURL(
      (url) => url.pathname === `/w/${seeded.workspace.slug}/search` && url.searchParams.get("q") === word,
    );
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toContain(word);
    expect(await page.getByTestId("list-search").inputValue(), "the query is in the page's search box").toBe(word);
    expect(await page.getByLabel("Sort by").inputValue(), "most relevant first").toBe("relevance");
    await expect.poll(() => rows(page).count()).toBe(50);

    // Scroll to the end: the second page loads and the list ends with the last match.
    await page.getByText("Scroll for more").scrollIntoViewIfNeeded();
    await expect.poll(() => rows(page).count(), { message: "all 60 matches after scrolling" }).toBe(60);
    const titles = await rows(page).allTextContents();
    expect(titles.every((t) => t.includes(word))).toBe(true);
    expect(new Set(await rows(page).evaluateAll((els) => els.map((el) => el.getAttribute("data-ref")))).size).toBe(60);
    await expect.poll(() => page.getByText("Scroll for more").count(), { message: "no more pages" }).toBe(0);
  });

  test("finds text written as markup, and the query typed on the page follows into the URL", async () => {
    const owner = await e2e.signedIn("noor");
    const seeded = await seedWorkspace(owner, { titles: ["<script>alert(1)</script>", "a<b>c", "Plain task"] });
    const page = owner.page;
    await page.goto(`${e2e.baseUrl}/w/${seeded.workspace.slug}/search?q=${encodeURIComponent("script")}`);
    await expect.poll(() => rows(page).count()).toBe(1);
    // Shown as text, never run: the title renders literally.
    expect(await rows(page).first().textContent()).toContain("<script>alert(1)</script>");

    const box = page.getByTestId("list-search");
    await box.fill("alert");
    await page.waitForURL((url) => url.searchParams.get("q") === "alert");
    await expect.poll(() => rows(page).first().getAttribute("data-ref")).toBe(seeded.refs[0]!);

    await box.fill("a<b>c");
    await page.waitForURL((url) => url.searchParams.get("q") === "a<b>c");
    await expect
      .poll(async () => (await rows(page).evaluateAll((els) => els.map((el) => el.getAttribute("data-ref")))).join(","))
      .toBe(seeded.refs[1]!);

    await box.fill("zzzznothing");
    await expect.poll(() => page.getByText("No tasks match “zzzznothing”").count()).toBe(1);
  });

  test("the project's list has a search box combined with its filters", async () => {
    const word = secretWord();
    const { owner, seeded } = await withMatches(3, word);
    const page = owner.page;
    const first = await owner.api.task.byRef.query({
      workspaceSlug: seeded.workspace.slug,
      ref: `${seeded.project.key}-3`,
    });
    await owner.api.task.update.mutate({
      workspaceSlug: seeded.workspace.slug,
      taskId: first.id,
      version: first.version,
      patch: { status: "DONE" },
    });
    await page.goto(`${e2e.baseUrl}/w/${seeded.workspace.slug}/projects/${seeded.project.key}?view=list`);
    await expect.poll(() => rows(page).count()).toBe(5);
    await page.getByTestId("list-search").fill(word);
    await expect.poll(() => rows(page).count()).toBe(3);
    await page.getByRole("group", { name: "Status" }).getByRole("button", { name: "Done" }).click();
    await expect.poll(() => rows(page).count()).toBe(1);
    await page.getByRole("button", { name: "Clear filters" }).click();
    await expect.poll(() => rows(page).count()).toBe(5);
    expect(await page.getByTestId("list-search").inputValue()).toBe("");
  });
});
