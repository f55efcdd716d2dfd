/**
 * API keys, from the Settings › API keys page to a script's first request: an owner creates a
 * read-only key, copies its secret (shown once, with a curl example), uses it over REST from the test
 * as a script would (reads answer, a write is 403, another workspace is 404), then revokes it in the
 * UI (confirmed first) and the next request is 401. Members see neither the entry nor the keys.
 *
 * Every test arranges its own people and workspace; none depends on another.
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Page } from "playwright-core";
import { describe, expect, test } from "vitest";
import { addMember, mutationAnswered, openSection, seedWorkspace, setUpBrowser } from "./helpers";

const e2e = setUpBrowser();

const ARTIFACTS = path.resolve(import.meta.dirname, "artifacts");
const KEY_PATTERN = /^lanes_[A-Za-z0-9]{8}_[A-Za-z0-9_-]{43}$/;

type RestAnswer = { status: number; body: unknown };

/** A REST call as a script makes it: plain fetch, the key in the Authorization header. */
async function rest(key: string, method: "GET" | "POST", pathname: string, body?: unknown): Promise<RestAnswer> {
  const res = await fetch(`${e2e.baseUrl}/api/v1${pathname}`, {
    method,
    headers: {
      authorization: `Bearer ${key}`,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as unknown };
}

function codeOf(answer: RestAnswer): unknown {
  return (answer.body as { code?: unknown }).code;
}

/** Console errors of a page from now on (the CSP check in helpers.ts covers policy violations). */
function consoleErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(error.message));
  return errors;
}

function keyRow(page: Page, prefix: string) {
  return page.locator(`[data-testid="api-key-row"][data-prefix="${prefix}"]`);
}

describe("API keys", () => {
  test("an owner creates a read-only key, copies the secret shown once, uses it over REST, and revokes it in the UI", async () => {
    const owner = await e2e.signedIn("owner");
    const seeded = await seedWorkspace(owner, { titles: ["Plan the launch"] });
    // The owner is a member of this one too: the key still must not reach it.
    const other = await seedWorkspace(owner);
    const slug = seeded.workspace.slug;
    await owner.context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: e2e.baseUrl });
    const page = owner.page;
    const errors = consoleErrors(page);

    await page.goto(`${e2e.baseUrl}/w/${slug}`);
    await openSection(page, slug, "API keys", "/settings/api-keys");
    await page.getByRole("heading", { name: "API keys", level: 1 }).waitFor();
    const nav = page.getByRole("navigation", { name: "Workspace" });
    expect(await nav.getByRole("link", { name: "API keys" }).getAttribute("aria-current")).toBe("page");
    expect(await nav.getByRole("link", { name: "Settings" }).getAttribute("aria-current"), "one current entry").toBe(
      null,
    );
    await page.getByText("No API keys yet").waitFor();

    // Each scope says what it allows; the server's field error shows next to its field.
    const form = page.getByRole("form", { name: "Create an API key" });
    const scopes = form.getByRole("group", { name: "Scope" });
    for (const [scope, role] of [
      ["Read", "Viewer"],
      ["Write", "Member"],
      ["Admin", "Admin"],
    ] as const) {
      const description = await scopes
        .getByRole("radio", { name: scope, exact: true })
        .getAttribute("aria-describedby");
      expect(await page.locator(`[id="${description}"]`).textContent()).toContain(
        `Acts as a${role === "Admin" ? "n" : ""} ${role}`,
      );
    }
    expect(await scopes.textContent()).toContain("never has more access than your own role");
    await form.getByLabel("Name", { exact: true }).fill("CI reader");
    await scopes.getByRole("radio", { name: "Read", exact: true }).check();
    const expiry = form.getByLabel("Expires after (days)");
    await expiry.fill("400");
    const refused = mutationAnswered(page, "apiKey.create");
    await form.getByRole("button", { name: "Create key" }).click();
    expect((await refused).status()).toBe(400);
    await expect.poll(() => expiry.getAttribute("aria-invalid"), { timeout: 10_000 }).toBe("true");
    const expiryError = await expiry.getAttribute("aria-describedby");
    expect(await page.locator(`[id="${expiryError}"]`).textContent()).toBe("At most 366 days");

    await expiry.fill("30");
    const created = mutationAnswered(page, "apiKey.create");
    await form.getByRole("button", { name: "Create key" }).click();
    expect((await created).status()).toBe(200);

    // The secret, once: focused for copying, with a warning, a curl example and the API reference.
    const panel = page.getByRole("region", { name: "Key “CI reader” created" });
    await panel.waitFor();
    expect(await panel.textContent()).toContain("you won't see it again");
    const secretField = panel.getByLabel("Your new API key");
    const secret = await secretField.inputValue();
    expect(secret).toMatch(KEY_PATTERN);
    expect(await secretField.evaluate((el) => el === document.activeElement), "the secret has the focus").toBe(true);
    await panel.getByRole("button", { name: "Copy key" }).click();
    await panel.getByRole("button", { name: "Copied" }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
    const curl = (await panel.getByTestId("curl-example").textContent()) ?? "";
    expect(curl).toContain(`curl -H "Authorization: Bearer ${secret}"`);
    const projectsUrl = `${e2e.baseUrl}/api/v1/workspaces/${slug}/projects`;
    expect(curl).toContain(projectsUrl);
    expect(await panel.getByRole("link", { name: /API reference/ }).getAttribute("href")).toBe("/docs/api");
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, "api-keys--created-key.png") });

    // The list: the new key, active, read-only, never used yet.
    const prefix = secret.split("_").slice(0, 2).join("_");
    const row = keyRow(page, prefix);
    await row.waitFor();
    const cells = await row.locator("td").allTextContents();
    expect(cells.slice(0, 8)).toEqual([
      "CI reader",
      prefix,
      "Read",
      owner.name,
      expect.stringMatching(/^[A-Z][a-z]{2} \d{1,2}, \d{4}$/) as string,
      "never",
      expect.stringMatching(/^[A-Z][a-z]{2} \d{1,2}, \d{4}$/) as string,
      "Active",
    ]);

    // A script with the key, exactly as the example says: reads work, a write is refused, other workspaces do not exist.
    const projects = await rest(secret, "GET", `/workspaces/${slug}/projects`);
    expect(projects.status).toBe(200);
    expect((projects.body as Array<{ key: string }>).map((p) => p.key)).toEqual([seeded.project.key]);
    const tasks = await rest(secret, "POST", `/workspaces/${slug}/tasks/query`, {});
    expect(tasks.status).toBe(200);
    expect((tasks.body as { items: Array<{ title: string }> }).items.map((t) => t.title)).toEqual(["Plan the launch"]);
    const write = await rest(secret, "POST", `/workspaces/${slug}/tasks`, {
      projectId: seeded.project.id,
      title: "Written with a read key",
    });
    expect([write.status, codeOf(write)]).toEqual([403, "FORBIDDEN"]);
    const elsewhere = await rest(secret, "GET", `/workspaces/${other.workspace.slug}/projects`);
    expect([elsewhere.status, codeOf(elsewhere)]).toEqual([404, "NOT_FOUND"]);

    // Done: the secret is gone from the page for good, and the list shows the key was used.
    await panel.getByRole("button", { name: "Done" }).click();
    await panel.waitFor({ state: "detached" });
    await expect
      .poll(
        async () => {
          await page.reload();
          return (await row.locator("td").nth(5).textContent()) ?? "";
        },
        { timeout: 10_000, interval: 500, message: "last used, after the REST calls" },
      )
      .toBe("just now");
    expect(await page.locator("body").textContent(), "the secret is never shown again").not.toContain(secret);

    // Revoking asks first; Cancel keeps the key.
    const revokeButton = row.getByRole("button", { name: `Revoke CI reader (${prefix})` });
    await revokeButton.click();
    const dialog = page.getByRole("dialog", { name: "Revoke “CI reader”?" });
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain(`${prefix}…`);
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await dialog.waitFor({ state: "hidden" });
    expect(await row.getAttribute("data-status")).toBe("active");
    expect((await rest(secret, "GET", `/workspaces/${slug}/projects`)).status, "still works after Cancel").toBe(200);

    await revokeButton.click();
    const revoked = mutationAnswered(page, "apiKey.revoke");
    await dialog.getByRole("button", { name: "Revoke key" }).click();
    expect((await revoked).status()).toBe(200);
    await dialog.waitFor({ state: "hidden" });
    await expect.poll(() => row.getAttribute("data-status"), { timeout: 10_000 }).toBe("revoked");

    const afterRevoke = await rest(secret, "GET", `/workspaces/${slug}/projects`);
    expect([afterRevoke.status, codeOf(afterRevoke)]).toEqual([401, "UNAUTHORIZED"]);
    expect((afterRevoke.body as { message: string }).message).toContain("revoked");

    // Still listed, greyed and struck through, with nothing left to revoke; after a reload too.
    await page.reload();
    await row.waitFor();
    expect(await row.getAttribute("data-status")).toBe("revoked");
    expect(await row.locator("td").nth(7).textContent()).toBe("Revoked");
    expect(await row.getByRole("button").count(), "no Revoke button on a revoked key").toBe(0);
    const look = await row.evaluate((el) => ({
      color: getComputedStyle(el).color,
      name: getComputedStyle(el.querySelector("td p")!).textDecorationLine,
    }));
    expect(look.name).toBe("line-through");
    expect(look.color, "greyed (zinc-400), not the body text colour").not.toBe(
      await page.locator("h1").evaluate((el) => getComputedStyle(el).color),
    );

    // The only console error: the browser's note about the refused 400 above.
    expect(errors.filter((e) => !/status of 400/.test(e))).toEqual([]);
  });

  test("a member sees no API keys entry, and the page says only owners and admins manage keys", async () => {
    const owner = await e2e.signedIn("owner");
    const member = await e2e.signedIn("member");
    const { workspace } = await seedWorkspace(owner);
    await addMember(e2e.db, workspace.id, member, "MEMBER");
    await owner.api.apiKey.create.mutate({ workspaceSlug: workspace.slug, name: "Owner's secret key", scope: "read" });
    const page = member.page;
    const errors = consoleErrors(page);
    const calls: string[] = [];
    page.on("request", (req) => {
      const url = new URL(req.url());
      if (url.pathname.startsWith("/api/trpc/")) calls.push(...url.pathname.slice("/api/trpc/".length).split(","));
    });

    await page.goto(`${e2e.baseUrl}/w/${workspace.slug}/settings`);
    const nav = page.getByRole("navigation", { name: "Workspace" });
    await nav.getByRole("link", { name: "Settings" }).waitFor();
    expect(await nav.getByRole("link", { name: "API keys" }).count(), "no sidebar entry").toBe(0);
    expect(await page.getByRole("link", { name: "Manage API keys" }).count(), "no link from Settings").toBe(0);

    await page.goto(`${e2e.baseUrl}/w/${workspace.slug}/settings/api-keys`);
    await page.getByRole("heading", { name: "API keys", level: 1 }).waitFor();
    const notice = page.getByTestId("api-keys-not-allowed");
    await notice.waitFor();
    expect(await notice.textContent()).toContain("Only owners and admins can see and manage this workspace's API keys");
    expect(await page.getByRole("form", { name: "Create an API key" }).count()).toBe(0);
    expect(await page.getByRole("table").count()).toBe(0);
    expect(await page.locator("body").textContent()).not.toContain("Owner's secret key");
    expect(
      calls.filter((c) => c.startsWith("apiKey.")),
      "the page never asks for the keys",
    ).toEqual([]);
    expect(errors).toEqual([]);
  });
});
