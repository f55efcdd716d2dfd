/**
 * Browser helpers: Debian's Chromium driven by playwright-core; people who start
 * signed in (a session planted in the server's database, so no test depends on
 * another having signed someone in); the real sign-in flow through the dev
 * mailbox for the test that exercises it; the few UI flows several tests share;
 * and screenshots of every open page when a test fails (tests/e2e/artifacts/).
 */
import { CHROMIUM_FLAGS, CHROMIUM_PATH } from "../../scripts/lib/chromium";
import { randomBytes, randomUUID } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, expect, inject } from "vitest";
import { createDb, type Db } from "@/server/db/client";
import { assignInitialHandle } from "@/server/services/users";
import type { Role } from "@/shared/roles";
import type { TaskStatus } from "@/shared/tracker";
import { SESSION_COOKIE, typedClient, uniqueEmail, uniqueIp } from "../helpers/http";

export { uniqueEmail };

const ARTIFACTS = path.resolve(import.meta.dirname, "artifacts");
/** Wide enough for the sidebar and the board's first four columns side by side. */
const VIEWPORT = { width: 1440, height: 900 };
/** Per action / wait: well under the test timeout, so a failure names the step that hung. */
const ACTION_TIMEOUT_MS = 15_000;
const NAVIGATION_TIMEOUT_MS = 30_000;
const SESSION_MS = 24 * 60 * 60 * 1000;

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: [...CHROMIUM_FLAGS] });
}

type Viewport = { width: number; height: number };

/** Someone using Lanes in a browser of their own, already signed in. */
export type Person = {
  readonly email: string;
  readonly userId: string;
  /** The display name Lanes gave them (their email's local part). */
  readonly name: string;
  readonly handle: string;
  readonly context: BrowserContext;
  /** Their page (about:blank until the test navigates). */
  readonly page: Page;
  /** The typed tRPC client acting with their session: for arranging a test, not for what it checks. */
  readonly api: ReturnType<typeof typedClient>;
};

export type E2E = {
  readonly baseUrl: string;
  readonly browser: Browser;
  /** The server's own database. */
  readonly db: Db;
  /** A fresh browser profile: its own cookies, and its own client address (sign-in emails are limited per IP). */
  newContext(options?: { viewport?: Viewport }): Promise<BrowserContext>;
  /**
   * A new user, signed in without the mailbox: the User and Session rows Auth.js
   * would write after a magic link, planted in the server's database, and the
   * session cookie set in a fresh browser profile.
   */
  signedIn(prefix: string, options?: { viewport?: Viewport }): Promise<Person>;
};

type Console = { page: Page; lines: string[] };

/** How Chromium reports what a Content-Security-Policy refused. */
const CSP_VIOLATION = /Content Security Policy|Refused to (load|execute|apply|connect|frame)/i;

/** What the email provider leaves behind after a magic link: a verified user with the app's @handle, and a database session. */
async function plantSession(
  db: Db,
  email: string,
): Promise<{ userId: string; name: string; handle: string; sessionToken: string }> {
  const user = await db.user.create({ data: { email, emailVerified: new Date() }, select: { id: true } });
  const handle = await assignInitialHandle(db, { id: user.id, email, name: null });
  const sessionToken = randomBytes(32).toString("hex");
  await db.session.create({ data: { sessionToken, userId: user.id, expires: new Date(Date.now() + SESSION_MS) } });
  const { name } = await db.user.findUniqueOrThrow({ where: { id: user.id }, select: { name: true } });
  return { userId: user.id, name: name ?? email, handle, sessionToken };
}

/**
 * Registers this file's hooks: one Chromium and one database client for the
 * file; after each test, a screenshot and the console errors of every open page
 * if it failed, then its browser profiles are closed.
 */
export function setUpBrowser(): E2E {
  let browser: Browser | null = null;
  let db: Db | null = null;
  let baseUrl = "";
  const consoles: Console[] = [];
  const running = () => {
    if (!browser || !db) throw new Error("the browser is not running (setUpBrowser's beforeAll did not run)");
    return { browser, db };
  };

  beforeAll(async () => {
    baseUrl = inject("baseUrl");
    db = createDb(inject("databaseUrl"), 2);
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await db?.$disconnect();
  });

  afterEach(async ({ task }) => {
    if (!browser) return;
    if (task.result?.state === "fail") await saveFailure(browser, task, consoles);
    for (const context of browser.contexts()) await context.close();
    // The pages run under the production Content-Security-Policy (src/proxy.ts): anything it blocked is a bug.
    const violations = consoles.flatMap((entry) => entry.lines.filter((line) => CSP_VIOLATION.test(line)));
    consoles.length = 0;
    expect(violations, "Content-Security-Policy violations").toEqual([]);
  });

  const newContext = async (options: { viewport?: Viewport } = {}): Promise<BrowserContext> => {
    const context = await running().browser.newContext({
      viewport: options.viewport ?? VIEWPORT,
      extraHTTPHeaders: { "x-forwarded-for": uniqueIp() },
    });
    context.setDefaultTimeout(ACTION_TIMEOUT_MS);
    context.setDefaultNavigationTimeout(NAVIGATION_TIMEOUT_MS);
    context.on("page", (page) => {
      const entry: Console = { page, lines: [] };
      consoles.push(entry);
      page.on("console", (message) => {
        if (message.type() === "error" || message.type() === "warning")
          entry.lines.push(`console.${message.type()}: ${message.text()}`);
      });
      page.on("pageerror", (error) => entry.lines.push(`pageerror: ${error.message}`));
    });
    return context;
  };

  return {
    get baseUrl() {
      return baseUrl;
    },
    get browser() {
      return running().browser;
    },
    get db() {
      return running().db;
    },
    newContext,
    async signedIn(prefix, options = {}) {
      const email = uniqueEmail(prefix);
      const { userId, name, handle, sessionToken } = await plantSession(running().db, email);
      const context = await newContext(options);
      await context.addCookies([
        { name: SESSION_COOKIE, value: sessionToken, url: baseUrl, httpOnly: true, sameSite: "Lax" },
      ]);
      const page = await context.newPage();
      return {
        email,
        userId,
        name,
        handle,
        context,
        page,
        api: typedClient(baseUrl, `${SESSION_COOKIE}=${sessionToken}`),
      };
    },
  };
}

async function saveFailure(
  browser: Browser,
  task: { name: string; file: { name: string } },
  consoles: Console[],
): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const base = `${path.basename(task.file.name, ".test.ts")}--${task.name
    .replace(/[^a-z0-9]+/gi, "-")
    .replace(/^-|-$/g, "")
    .slice(0, 80)}`;
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
}

// ── arranging data without the UI ──

/** Adds `person` to a workspace directly, as an accepted invitation would. */
export async function addMember(db: Db, workspaceId: string, person: Person, role: Role): Promise<void> {
  await db.membership.create({ data: { workspaceId, userId: person.userId, role } });
}

/** Changes a member's role behind their back (as an admin in another browser would). */
export async function setRole(db: Db, workspaceId: string, person: Person, role: Role): Promise<void> {
  await db.membership.update({ where: { workspaceId_userId: { workspaceId, userId: person.userId } }, data: { role } });
}

export type Seeded = {
  workspace: { id: string; name: string; slug: string };
  project: { id: string; key: string; name: string };
  /** Refs of the seeded tasks, in the order of `titles` ("WEB-1", …). */
  refs: string[];
};

/** A workspace owned by `owner` with one project and tasks in Todo, made through the API (tests check the UI, not this). */
export async function seedWorkspace(
  owner: Person,
  options: { titles?: readonly string[]; project?: { key: string; name: string } } = {},
): Promise<Seeded> {
  const suffix = randomBytes(3).toString("hex");
  const created = await owner.api.workspace.create.mutate({ name: `Team ${suffix}`, slug: `team-${suffix}` });
  const project = await owner.api.project.create.mutate({
    workspaceSlug: created.slug,
    ...(options.project ?? { key: "WEB", name: "Website" }),
  });
  const refs: string[] = [];
  for (const title of options.titles ?? []) {
    const task = await owner.api.task.create.mutate({
      workspaceSlug: created.slug,
      projectId: project.id,
      title,
      idempotencyKey: randomUUID(),
    });
    refs.push(task.ref);
  }
  return {
    workspace: { id: created.id, name: created.name, slug: created.slug },
    project: { id: project.id, key: project.key, name: project.name },
    refs,
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

// ── the board and the API on the wire ──

export function column(page: Page, status: TaskStatus): Locator {
  return page.getByTestId(`column-${status}`);
}

export function card(scope: Page | Locator, ref: string): Locator {
  return scope.locator(`[data-testid="board-card"][data-ref="${ref}"]`);
}

/** The board column a card is in ("IN_PROGRESS"), or null when it is on no column. */
export function columnOf(page: Page, ref: string): Promise<string | null> {
  return page.evaluate((r) => {
    const found = document.querySelector(`[data-testid^="column-"] [data-testid="board-card"][data-ref="${r}"]`);
    return (
      found
        ?.closest("[data-testid^='column-']")
        ?.getAttribute("data-testid")
        ?.replace(/^column-/, "") ?? null
    );
  }, ref);
}

/** The response to the next POST of tRPC mutation `path` (alone or in a batch); start waiting before the action that sends it. */
export function mutationAnswered(page: Page, path: string) {
  const answered = page.waitForResponse((res) => {
    const url = new URL(res.url());
    return (
      res.request().method() === "POST" &&
      url.pathname.startsWith("/api/trpc/") &&
      url.pathname.slice("/api/trpc/".length).split(",").includes(path)
    );
  });
  // Awaited by the test when it gets that far; never an unhandled rejection when it does not.
  answered.catch(() => undefined);
  return answered;
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

// ── shared UI flows ──

export const ROLE_VALUE = { Owner: "OWNER", Admin: "ADMIN", Member: "MEMBER", Viewer: "VIEWER" } as const;
export type RoleLabel = keyof typeof ROLE_VALUE;

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

/** A member's row on the Members page. */
export function memberRow(page: Page, email: string) {
  return page.locator(`[data-testid="member-row"][data-email="${email}"]`);
}
