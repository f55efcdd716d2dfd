/**
 * Browser helpers: Debian's Chromium driven by playwright-core, the real
 * sign-in flow through the dev mailbox, the few UI flows several tests share,
 * and screenshots of every open page when a test fails (tests/e2e/artifacts/).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, expect, inject } from "vitest";
import { uniqueEmail, uniqueIp } from "../helpers/http";

export { uniqueEmail };

const CHROMIUM = "/usr/bin/chromium";
const LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];
const ARTIFACTS = path.resolve(import.meta.dirname, "artifacts");
/** Wide enough for the sidebar and the board's first four columns side by side. */
const VIEWPORT = { width: 1440, height: 900 };
/** Per action / wait: well under the test timeout, so a failure names the step that hung. */
const ACTION_TIMEOUT_MS = 15_000;
const NAVIGATION_TIMEOUT_MS = 30_000;

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: LAUNCH_ARGS });
}

export type E2E = {
  readonly baseUrl: string;
  readonly browser: Browser;
  /** A fresh browser profile: its own cookies, and its own client address (sign-in emails are limited per IP). */
  newContext(): Promise<BrowserContext>;
};

type Console = { page: Page; lines: string[] };

/**
 * Registers this file's hooks: one Chromium for the file, closed afterwards;
 * after a failed test, a screenshot and the console errors of every open page.
 */
export function setUpBrowser(): E2E {
  let browser: Browser | null = null;
  let baseUrl = "";
  const consoles: Console[] = [];

  beforeAll(async () => {
    baseUrl = inject("baseUrl");
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
  });

  afterEach(async ({ task }) => {
    if (task.result?.state !== "fail" || !browser) return;
    mkdirSync(ARTIFACTS, { recursive: true });
    const base = `${path.basename(task.file.name, ".test.ts")}--${task.name.replace(/[^a-z0-9]+/gi, "-").replace(/^-|-$/g, "").slice(0, 80)}`;
    const saved: string[] = [];
    for (const [c, context] of browser.contexts().entries()) {
      for (const [p, page] of context.pages().entries()) {
        const file = path.join(ARTIFACTS, `${base}--context${c + 1}-page${p + 1}`);
        try {
          await page.screenshot({ path: `${file}.png`, fullPage: true, timeout: 10_000 });
          const lines = consoles.find((entry) => entry.page === page)?.lines ?? [];
          writeFileSync(`${file}.txt`, [`url: ${page.url()}`, ...lines].join("\n") + "\n");
          saved.push(path.relative(process.cwd(), `${file}.png`));
        } catch (error) {
          saved.push(`(no screenshot of ${page.url()}: ${(error as Error).message})`);
        }
      }
    }
    if (saved.length) console.error(`[e2e] "${task.name}" failed; saved:\n  ${saved.join("\n  ")}`);
  });

  return {
    get baseUrl() {
      return baseUrl;
    },
    get browser() {
      if (!browser) throw new Error("the browser is not running (setUpBrowser's beforeAll did not run)");
      return browser;
    },
    async newContext() {
      if (!browser) throw new Error("the browser is not running (setUpBrowser's beforeAll did not run)");
      const context = await browser.newContext({ viewport: VIEWPORT, extraHTTPHeaders: { "x-forwarded-for": uniqueIp() } });
      context.setDefaultTimeout(ACTION_TIMEOUT_MS);
      context.setDefaultNavigationTimeout(NAVIGATION_TIMEOUT_MS);
      context.on("page", (page) => {
        const entry: Console = { page, lines: [] };
        consoles.push(entry);
        page.on("console", (message) => {
          if (message.type() === "error" || message.type() === "warning") entry.lines.push(`console.${message.type()}: ${message.text()}`);
        });
        page.on("pageerror", (error) => entry.lines.push(`pageerror: ${error.message}`));
      });
      return context;
    },
  };
}

/** Waits for the browser to paint twice: dnd-kit measures and reacts on animation frames. */
export function nextFrames(page: Page, frames = 2): Promise<void> {
  return page.evaluate(
    (count) =>
      new Promise<void>((resolve) => {
        const step = (left: number) => (left <= 0 ? resolve() : requestAnimationFrame(() => step(left - 1)));
        step(count);
      }),
    frames,
  );
}

// ── mail and sign-in ──

/**
 * Opens /dev/mailbox?to=<to> and clicks the link in the newest mail whose path
 * matches `pathname` (the mailbox lists newest first).
 */
export async function openMailLink(page: Page, baseUrl: string, to: string, pathname: RegExp): Promise<void> {
  const links = page.getByTestId("mail").locator("a");
  let index = -1;
  await expect
    .poll(
      async () => {
        await page.goto(`${baseUrl}/dev/mailbox?to=${encodeURIComponent(to)}`);
        const hrefs = await links.evaluateAll((anchors) => anchors.map((a) => (a as HTMLAnchorElement).href));
        index = hrefs.findIndex((href) => pathname.test(new URL(href).pathname));
        return index;
      },
      { timeout: 10_000, interval: 250, message: `a mail to ${to} with a link to ${pathname}` },
    )
    .toBeGreaterThanOrEqual(0);
  await links.nth(index).click();
}

/** True on a page of the signed-in app: onboarding or a workspace. */
function inApp(url: URL): boolean {
  return url.pathname === "/new" || url.pathname.startsWith("/w/");
}

/**
 * Signs `email` in through the UI: the /signin form, the check-email page, the
 * link from the dev mailbox. Returns the page, now in the app (/new for someone
 * without a workspace, else their first workspace).
 */
export async function signInInBrowser(context: BrowserContext, baseUrl: string, email: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${baseUrl}/signin`);
  await page.getByLabel("Email", { exact: true }).fill(email);
  await page.getByRole("button", { name: "Email me a sign-in link" }).click();
  await page.waitForURL((url) => url.pathname === "/signin/check-email");
  await page.getByRole("heading", { name: "Check your email" }).waitFor();

  await openMailLink(page, baseUrl, email, /^\/api\/auth\/callback\/email$/);
  await page.waitForURL(inApp);
  return page;
}

// ── shared UI flows ──

export const ROLE_VALUE = { Owner: "OWNER", Admin: "ADMIN", Member: "MEMBER", Viewer: "VIEWER" } as const;
export type RoleLabel = keyof typeof ROLE_VALUE;

/** On /new: names a workspace, checks the suggested address, creates it. Returns the slug once on /w/<slug>. */
export async function createWorkspace(page: Page, name: string, expectedSlug: string): Promise<string> {
  await page.getByLabel("Workspace name").fill(name);
  expect(await page.getByLabel("Address").inputValue(), "the address is suggested from the name").toBe(expectedSlug);
  await page.getByRole("button", { name: "Create workspace" }).click();
  await page.waitForURL((url) => url.pathname === `/w/${expectedSlug}`);
  return expectedSlug;
}

/** Follows the sidebar link to a workspace section ("Members", "Projects", …). */
export async function openSection(page: Page, slug: string, name: string, pathname: string): Promise<void> {
  await page.getByRole("navigation", { name: "Workspace" }).getByRole("link", { name, exact: true }).click();
  await page.waitForURL((url) => url.pathname === `/w/${slug}${pathname}`);
}

/** On the Members page: invites `email` with `role` and waits until the invitation is pending. */
export async function inviteMember(page: Page, email: string, role: RoleLabel): Promise<void> {
  const form = page.getByRole("form", { name: "Invite a member" });
  await form.getByLabel("Email address").fill(email);
  await form.getByLabel("Role").selectOption({ label: role });
  await form.getByRole("button", { name: "Send invite" }).click();
  await page.getByTestId("invitation-row").filter({ hasText: email }).waitFor();
  expect(await form.getByLabel("Email address").inputValue(), "the form is cleared after sending").toBe("");
}

/** As the invitee (signed in): opens the invitation link from their mail and joins. Lands on /w/<slug>. */
export async function acceptInvitation(page: Page, baseUrl: string, email: string, workspace: { name: string; slug: string }): Promise<void> {
  await openMailLink(page, baseUrl, email, /^\/invite\/[^/]+$/);
  await page.getByRole("heading", { name: `Join ${workspace.name}` }).waitFor();
  await page.getByRole("button", { name: `Join ${workspace.name}` }).click();
  await page.waitForURL((url) => url.pathname === `/w/${workspace.slug}`);
}

/** A member's row on the Members page. */
export function memberRow(page: Page, email: string) {
  return page.locator(`[data-testid="member-row"][data-email="${email}"]`);
}

/** A member's @handle as the Members page shows it ("email · @handle"). */
export async function handleOf(page: Page, email: string): Promise<string> {
  const text = (await memberRow(page, email).textContent()) ?? "";
  const handle = /·\s*@([a-z0-9][a-z0-9-]+)/.exec(text)?.[1];
  if (!handle) throw new Error(`no @handle in the member row of ${email}: ${text}`);
  return handle;
}
