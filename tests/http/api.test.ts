/**
 * The API as clients meet it: real HTTP against a real `next dev` server
 * (tests/setup/global-server.ts), real Auth.js sign-in through the dev
 * mailbox, tRPC's wire format with superjson. No database access from here:
 * every fact is set up and observed over HTTP.
 */
import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { TRPCClientError } from "@trpc/client";
import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/routers/_app";
import { RATE_POLICIES } from "@/server/ratelimit/limiter";
import {
  CookieJar,
  fetchCsrf,
  leaksInternals,
  newestMailLink,
  parseTrpcResponse,
  readMailboxHtml,
  requestSignInEmail,
  signIn,
  signOut,
  trpcBatchQuery,
  trpcMutation,
  trpcQuery,
  typedClient,
  uniqueEmail,
  uniqueIp,
  type TrpcResponse,
} from "../helpers/http";

type Outputs = inferRouterOutputs<AppRouter>;
type MyWorkspace = Outputs["workspace"]["get"];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let baseUrl = "";

beforeAll(() => {
  baseUrl = inject("baseUrl");
});

function uniqueSlug(prefix = "ws"): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(2).toString("hex")}`;
}

/** The response must be a tRPC error with this code and status, leaking nothing. */
function expectError<T>(res: TrpcResponse<T>, code: string, status: number) {
  expect(res.status, res.text).toBe(status);
  expect(res.headers.get("content-type")).toMatch(/^application\/json/);
  if (res.ok) throw new Error(`expected ${code}, got data: ${res.text}`);
  expect(res.error.data.code).toBe(code);
  expect(res.error.data.httpStatus).toBe(status);
  expect(leaksInternals(res.text), res.text).toEqual([]);
  return res.error;
}

function expectData<T>(res: TrpcResponse<T>): T {
  if (!res.ok) throw new Error(`expected data, got HTTP ${res.status}: ${res.text}`);
  expect(res.status).toBe(200);
  return res.data;
}

async function createWorkspace(cookie: string, name = "Acme"): Promise<MyWorkspace> {
  return expectData(await trpcMutation<MyWorkspace>(baseUrl, "workspace.create", { name, slug: uniqueSlug() }, cookie));
}

describe("GET /api/health", () => {
  it("answers 200 with the database up and the version", async () => {
    const res = await fetch(`${baseUrl}/api/health`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    const body: unknown = await res.json();
    expect(body).toMatchObject({ status: "ok", version: expect.any(String), database: { ok: true } });
  });
});

describe("GET /api/health/live and /api/health/ready", () => {
  it("live answers 200 without looking at any dependency", async () => {
    const res = await fetch(`${baseUrl}/api/health/live`);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(await res.json()).toMatchObject({ status: "ok", version: expect.any(String) });
  });

  it("ready answers 200 with the database up and every migration applied", async () => {
    const res = await fetch(`${baseUrl}/api/health/ready`);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(await res.json()).toMatchObject({
      status: "ready",
      database: { ok: true },
      migrations: { ok: true, latest: expect.any(String), expected: expect.any(String) },
    });
  });
});

describe("x-request-id", () => {
  it("echoes a sane incoming id on /api/trpc responses", async () => {
    const id = `req-${randomBytes(6).toString("hex")}_a.b:c`;
    const res = await trpcQuery(baseUrl, "system.me", undefined, { headers: { "x-request-id": id } });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-request-id")).toBe(id);
  });

  it.each([
    ["300 characters", "a".repeat(300)],
    ["spaces", "not a sane id"],
    ["quotes and angle brackets", `"><script>`],
  ])("replaces a malformed one (%s) with a fresh uuid", async (_, bad) => {
    const res = await trpcQuery(baseUrl, "system.me", undefined, { headers: { "x-request-id": bad } });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-request-id")).toMatch(UUID);
  });

  it.each<[string, (headers: Record<string, string>) => Promise<Response>]>([
    [
      "a 400 validation error",
      (headers) =>
        fetch(
          `${baseUrl}/api/trpc/system.me?input=${encodeURIComponent(JSON.stringify({ json: { unexpected: 1 } }))}`,
          { headers },
        ),
    ],
    ["a 404 unknown procedure", (headers) => fetch(`${baseUrl}/api/trpc/no.such.procedure`, { headers })],
    ["a 405 mutation over GET", (headers) => fetch(`${baseUrl}/api/trpc/workspace.create`, { headers })],
    [
      "a 415 unsupported content type",
      (headers) =>
        fetch(`${baseUrl}/api/trpc/workspace.create`, {
          method: "POST",
          headers: { ...headers, "content-type": "text/plain" },
          body: "{}",
        }),
    ],
  ])("echoes it on %s too, in the header and the error body", async (_, send) => {
    const id = `rid-${randomBytes(4).toString("hex")}`;
    const res = await parseTrpcResponse(await send({ "x-request-id": id }));
    if (res.ok) throw new Error(`expected an error, got HTTP ${res.status}: ${res.text}`);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.headers.get("x-request-id"), `x-request-id on HTTP ${res.status}`).toBe(id);
    expect(res.error.data.requestId, res.text).toBe(id);
  });

  it("makes one when none is sent, and error bodies carry the same id", async () => {
    const res = await trpcQuery(baseUrl, "workspace.list");
    const header = res.headers.get("x-request-id");
    expect(header).toMatch(UUID);
    const error = expectError(res, "UNAUTHORIZED", 401);
    expect(error.data.requestId).toBe(header);
  });
});

describe("signed out", () => {
  it("workspace.list answers 401 UNAUTHORIZED as JSON", async () => {
    const error = expectError(await trpcQuery(baseUrl, "workspace.list"), "UNAUTHORIZED", 401);
    expect(error.message).toBe("Sign in, or send an API key: Authorization: Bearer lanes_…");
  });

  it("a mutation answers 401 too", async () => {
    expectError(
      await trpcMutation(baseUrl, "workspace.create", { name: "X", slug: uniqueSlug() }),
      "UNAUTHORIZED",
      401,
    );
  });

  it("system.me answers null", async () => {
    expect(expectData(await trpcQuery(baseUrl, "system.me"))).toBeNull();
  });

  it("a made-up session cookie is not a session", async () => {
    expectError(
      await trpcQuery(baseUrl, "workspace.list", undefined, "authjs.session-token=forged-0123456789"),
      "UNAUTHORIZED",
      401,
    );
  });
});

describe("signed in", () => {
  const email = uniqueEmail("owner");
  let owner = "";
  let workspace: MyWorkspace;

  beforeAll(async () => {
    owner = await signIn(baseUrl, email);
    workspace = await createWorkspace(owner, "Acme HTTP");
  });

  it("system.me returns the user", async () => {
    const me = expectData(await trpcQuery<Outputs["system"]["me"]>(baseUrl, "system.me", undefined, owner));
    expect(me).toMatchObject({ email, id: expect.any(String) });
    expect(me?.handle).toEqual(expect.any(String));
  });

  it("workspace.create over POST makes the caller owner (dates survive superjson)", async () => {
    expect(workspace).toMatchObject({ name: "Acme HTTP", role: "OWNER", memberCount: 1 });
    expect(workspace.createdAt).toBeInstanceOf(Date);
    const list = expectData(await trpcQuery<Outputs["workspace"]["list"]>(baseUrl, "workspace.list", undefined, owner));
    expect(list.map((w) => w.slug)).toContain(workspace.slug);
  });

  describe("bad input answers 400 with field errors and no internals", () => {
    it.each<[string, unknown, string]>([
      ["an empty name", { name: "", slug: "fine-slug" }, "name"],
      ["a blank name", { name: "   ", slug: "fine-slug" }, "name"],
      ["a 10,000-character slug", { name: "Acme", slug: "a".repeat(10_000) }, "slug"],
      ["a slug with spaces and SQL", { name: "Acme", slug: "x'; SELECT 1; --" }, "slug"],
      ["a number for the name", { name: 42, slug: "fine-slug" }, "name"],
      ["an array for the slug", { name: "Acme", slug: ["a", "b"] }, "slug"],
      ["an unknown field", { name: "Acme", slug: "fine-slug", isAdmin: true }, ""],
      ["no input at all", undefined, ""],
    ])("%s", async (_, input, field) => {
      const res = await trpcMutation(baseUrl, "workspace.create", input, owner);
      const error = expectError(res, "BAD_REQUEST", 400);
      expect(error.data.fieldErrors, res.text).toHaveProperty([field]);
      expect(error.data.fieldErrors?.[field]?.length).toBeGreaterThan(0);
    });

    it("a malformed JSON body", async () => {
      const res = await parseTrpcResponse(
        await fetch(`${baseUrl}/api/trpc/workspace.create`, {
          method: "POST",
          headers: { "content-type": "application/json", cookie: owner },
          body: '{"json":{"name":"Acme","slug":',
        }),
      );
      expectError(res, "BAD_REQUEST", 400);
    });

    it("a malformed ?input= on a query", async () => {
      const res = await parseTrpcResponse(
        await fetch(`${baseUrl}/api/trpc/workspace.get?input=%7Bnope`, { headers: { cookie: owner } }),
      );
      expectError(res, "BAD_REQUEST", 400);
    });

    it("a bad workspace address on a workspace procedure", async () => {
      const res = await trpcQuery(baseUrl, "workspace.get", { workspaceSlug: "Not A Slug!" }, owner);
      const error = expectError(res, "BAD_REQUEST", 400);
      expect(error.data.fieldErrors?.workspaceSlug?.length).toBeGreaterThan(0);
    });

    it("a bad project key", async () => {
      const res = await trpcMutation(
        baseUrl,
        "project.create",
        { workspaceSlug: workspace.slug, key: "1-bad", name: "P" },
        owner,
      );
      const error = expectError(res, "BAD_REQUEST", 400);
      expect(error.data.fieldErrors?.key?.length).toBeGreaterThan(0);
    });
  });

  it("a taken slug is a 409 with a field error, not a database message", async () => {
    const res = await trpcMutation(baseUrl, "workspace.create", { name: "Dup", slug: workspace.slug }, owner);
    const error = expectError(res, "CONFLICT", 409);
    expect(error.data.fieldErrors?.slug?.length).toBeGreaterThan(0);
  });

  it("an unknown procedure answers 404", async () => {
    expectError(await trpcQuery(baseUrl, "workspace.nope", undefined, owner), "NOT_FOUND", 404);
    expectError(await trpcMutation(baseUrl, "nothing.here", {}, owner), "NOT_FOUND", 404);
  });

  it("a mutation over GET is refused", async () => {
    const res = await trpcQuery(baseUrl, "workspace.create", { name: "Acme", slug: uniqueSlug() }, owner);
    expect(res.status).toBe(405);
    expect(res.ok).toBe(false);
  });

  describe("tenancy", () => {
    let outsider = "";

    beforeAll(async () => {
      outsider = await signIn(baseUrl, uniqueEmail("outsider"));
    });

    it("another user's workspace is 404 NOT_FOUND, as if it did not exist", async () => {
      const error = expectError(
        await trpcQuery(baseUrl, "workspace.get", { workspaceSlug: workspace.slug }, outsider),
        "NOT_FOUND",
        404,
      );
      const missing = expectError(
        await trpcQuery(baseUrl, "workspace.get", { workspaceSlug: uniqueSlug("missing") }, outsider),
        "NOT_FOUND",
        404,
      );
      expect(error.message).toBe(missing.message);
      expectError(
        await trpcQuery(baseUrl, "project.list", { workspaceSlug: workspace.slug }, outsider),
        "NOT_FOUND",
        404,
      );
      expectError(
        await trpcMutation(baseUrl, "workspace.rename", { workspaceSlug: workspace.slug, name: "Mine now" }, outsider),
        "NOT_FOUND",
        404,
      );
    });

    it("the outsider's own list does not include it", async () => {
      const list = expectData(
        await trpcQuery<Outputs["workspace"]["list"]>(baseUrl, "workspace.list", undefined, outsider),
      );
      expect(list.map((w) => w.slug)).not.toContain(workspace.slug);
    });
  });

  describe("a viewer invited over HTTP", () => {
    const viewerEmail = uniqueEmail("viewer");
    let viewer = "";

    beforeAll(async () => {
      viewer = await signIn(baseUrl, viewerEmail);
    });

    it("accepts the emailed invitation, can read, and cannot invite (403)", async () => {
      const invitation = expectData(
        await trpcMutation<Outputs["invitation"]["create"]>(
          baseUrl,
          "invitation.create",
          { workspaceSlug: workspace.slug, email: viewerEmail, role: "VIEWER" },
          owner,
        ),
      );
      expect(invitation).toMatchObject({ email: viewerEmail, role: "VIEWER" });

      const link = await newestMailLink(baseUrl, viewerEmail, /^\/invite\/[A-Za-z0-9_-]+$/);
      const token = link.split("/").pop() ?? "";

      const preview = expectData(
        await trpcQuery<Outputs["invitation"]["preview"]>(baseUrl, "invitation.preview", { token }, viewer),
      );
      expect(preview).toMatchObject({ status: "pending", role: "VIEWER", workspace: { slug: workspace.slug } });

      const joined = expectData(await trpcMutation<MyWorkspace>(baseUrl, "invitation.accept", { token }, viewer));
      expect(joined).toMatchObject({ slug: workspace.slug, role: "VIEWER", memberCount: 2 });

      const seen = expectData(
        await trpcQuery<MyWorkspace>(baseUrl, "workspace.get", { workspaceSlug: workspace.slug }, viewer),
      );
      expect(seen.role).toBe("VIEWER");

      const error = expectError(
        await trpcMutation(
          baseUrl,
          "invitation.create",
          { workspaceSlug: workspace.slug, email: uniqueEmail("friend"), role: "VIEWER" },
          viewer,
        ),
        "FORBIDDEN",
        403,
      );
      expect(error.message).toBe("You do not have permission to do that");
      expectError(
        await trpcMutation(
          baseUrl,
          "project.create",
          { workspaceSlug: workspace.slug, key: "NOPE", name: "Nope" },
          viewer,
        ),
        "FORBIDDEN",
        403,
      );

      // The link is single use.
      const reused = expectError(
        await trpcMutation(baseUrl, "invitation.accept", { token }, viewer),
        "PRECONDITION_FAILED",
        412,
      );
      expect(reused.message).toBe("This invitation has been used");
    });
  });

  describe("batching", () => {
    it("two queries in one GET both answer", async () => {
      const res = await trpcBatchQuery(
        baseUrl,
        [{ path: "system.me" }, { path: "workspace.get", input: { workspaceSlug: workspace.slug } }],
        owner,
      );
      expect(res.status, res.text).toBe(200);
      expect(res.results).toHaveLength(2);
      const [me, ws] = res.results;
      expect(me).toMatchObject({ ok: true, data: { email } });
      expect(ws).toMatchObject({ ok: true, data: { slug: workspace.slug, role: "OWNER" } });
      if (ws?.ok) expect((ws.data as MyWorkspace).createdAt).toBeInstanceOf(Date);
    });

    it("one failing call does not fail the other (207 Multi-Status)", async () => {
      const res = await trpcBatchQuery(
        baseUrl,
        [{ path: "workspace.list" }, { path: "workspace.get", input: { workspaceSlug: uniqueSlug("missing") } }],
        owner,
      );
      expect(res.status, res.text).toBe(207);
      const [list, missing] = res.results;
      expect(list?.ok).toBe(true);
      expect(missing).toMatchObject({ ok: false, error: { data: { code: "NOT_FOUND", httpStatus: 404 } } });
      expect(leaksInternals(res.text)).toEqual([]);
    });
  });

  describe("the typed client (httpBatchLink + superjson)", () => {
    it("creates a project and a task and lists tasks end to end", async () => {
      const client = typedClient(baseUrl, owner);
      const project = await client.project.create
        .mutate({ workspaceSlug: workspace.slug, key: "web", name: "Website" })
        .catch((error: unknown) => {
          const data = error instanceof TRPCClientError ? JSON.stringify(error.data) : "";
          throw new Error(`project.create failed: ${(error as Error).message} ${data} (see tests/http/.server.log)`, {
            cause: error,
          });
        });
      expect(project).toMatchObject({ key: "WEB", name: "Website", openCount: 0 });

      const task = await client.task.create.mutate({
        workspaceSlug: workspace.slug,
        projectId: project.id,
        title: "Ship the HTTP tests",
        priority: "HIGH",
      });
      expect(task).toMatchObject({ ref: "WEB-1", title: "Ship the HTTP tests", priority: "HIGH", status: "TODO" });
      expect(task.createdAt).toBeInstanceOf(Date);

      // Two queries issued together travel as one batch.
      const [page, projects] = await Promise.all([
        client.task.list.query({ workspaceSlug: workspace.slug, filter: { projectId: project.id } }),
        client.project.list.query({ workspaceSlug: workspace.slug }),
      ]);
      expect(page.items.map((t) => t.id)).toEqual([task.id]);
      expect(projects.find((p) => p.id === project.id)).toMatchObject({ openCount: 1 });
    });

    it("surfaces errors as TRPCClientError with the app's error data", async () => {
      const client = typedClient(baseUrl, owner);
      const error = await client.workspace.get.query({ workspaceSlug: uniqueSlug("missing") }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(TRPCClientError);
      if (!(error instanceof TRPCClientError)) return;
      expect(error.data).toMatchObject({ code: "NOT_FOUND", httpStatus: 404, requestId: expect.stringMatching(UUID) });
    });
  });
});

describe("rate limits", () => {
  /** Mail actually delivered to the dev mailbox for this address. */
  async function mailCount(to: string): Promise<number> {
    return (await readMailboxHtml(baseUrl, to)).split('data-testid="mail"').length - 1;
  }

  function refused(res: Response): void {
    // Auth.js turns the provider's refusal into a redirect to the sign-in page with an error.
    expect(res.status).toBe(302);
    expect(res.headers.get("location") ?? "").toContain("/signin?error=AccessDenied");
  }

  it(`sends at most ${RATE_POLICIES.signInEmail.requests} sign-in emails to one address, however the address is written`, async () => {
    const email = uniqueEmail("spammed");
    const jar = new CookieJar();
    const csrfToken = await fetchCsrf(baseUrl, jar);
    // Each from its own address, so only the per-address limit can apply.
    for (let i = 0; i < RATE_POLICIES.signInEmail.requests; i++) {
      const res = await requestSignInEmail(baseUrl, jar, csrfToken, email, uniqueIp());
      expect(res.status, `email ${i + 1}`).toBe(302);
      expect(res.headers.get("location") ?? "").not.toContain("error=");
    }
    expect(await mailCount(email)).toBe(RATE_POLICIES.signInEmail.requests);
    // The limit applies to the address Auth.js normalizes, so case and trailing junk do not get around it.
    for (const variant of [email, email.toUpperCase(), `${email},junk`, `  ${email}  `]) {
      const res = await requestSignInEmail(baseUrl, jar, csrfToken, variant, uniqueIp());
      refused(res);
      expect(leaksInternals(await res.text())).toEqual([]);
    }
    expect(await mailCount(email)).toBe(RATE_POLICIES.signInEmail.requests);
  });

  it(`and at most ${RATE_POLICIES.signInEmail.requests} from one IP, whatever the client claims in Lanes' own address headers`, async () => {
    const ip = uniqueIp();
    const jar = new CookieJar();
    const csrfToken = await fetchCsrf(baseUrl, jar);
    for (let i = 0; i < RATE_POLICIES.signInEmail.requests; i++) {
      // A fresh made-up address in the header Lanes' server stamps: replaced, so it buys nothing.
      const forged = { "x-lanes-client-ip": uniqueIp(), "x-lanes-edge-token": `guess-${i}` };
      const res = await requestSignInEmail(baseUrl, jar, csrfToken, uniqueEmail("same-ip"), ip, forged);
      expect(res.status, `email ${i + 1}`).toBe(302);
      expect(res.headers.get("location") ?? "").not.toContain("error=");
    }
    const next = uniqueEmail("same-ip");
    refused(
      await requestSignInEmail(baseUrl, jar, csrfToken, next, ip, {
        "x-lanes-client-ip": uniqueIp(),
        "x-lanes-edge-token": "guess",
      }),
    );
    expect(await mailCount(next)).toBe(0);
  });

  it(`mutations beyond RATE_POLICIES.write (${RATE_POLICIES.write.requests}) answer 429 TOO_MANY_REQUESTS with Retry-After`, async () => {
    const cookie = await signIn(baseUrl, uniqueEmail("busy"));
    const workspace = await createWorkspace(cookie); // one write already
    const budget = RATE_POLICIES.write.requests;
    const statuses: number[] = [];
    let limited: TrpcResponse<unknown> | undefined;
    const BATCH = 10;
    while (!limited && statuses.length < budget + 4 * BATCH) {
      const batch = await Promise.all(
        Array.from({ length: BATCH }, () =>
          trpcMutation(baseUrl, "notification.markRead", { workspaceSlug: workspace.slug }, cookie),
        ),
      );
      for (const res of batch) {
        statuses.push(res.status);
        if (res.status === 429) limited ??= res;
      }
    }
    if (!limited) throw new Error(`no 429 after ${statuses.length} mutations`);
    const error = expectError(limited, "TOO_MANY_REQUESTS", 429);
    const retryAfter = Number(limited.headers.get("retry-after"));
    expect(error.message).toMatch(/^Too many requests; try again in \d+ seconds?$/);
    expect(error.data.details?.retryAfterSeconds).toBe(retryAfter);
    expect(limited.headers.get("ratelimit-remaining")).toBe("0");
    expect(limited.headers.get("ratelimit-limit")).toBe(String(budget));
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    // Everything else succeeded; at least the whole budget was granted first.
    expect(statuses.filter((s) => s !== 200 && s !== 429)).toEqual([]);
    expect(statuses.filter((s) => s === 200).length + 1).toBeGreaterThanOrEqual(budget);

    // Reads have their own budget.
    expectData(await trpcQuery(baseUrl, "workspace.list", undefined, cookie));
  });
});

describe("sign-out", () => {
  it("POST /api/auth/signout ends the session: the old cookie answers 401", async () => {
    const email = uniqueEmail("leaving");
    const cookie = await signIn(baseUrl, email);
    expectData(await trpcQuery(baseUrl, "workspace.list", undefined, cookie));

    const res = await signOut(baseUrl, cookie);
    expect(res.status).toBe(302);
    expect(
      res.headers
        .getSetCookie()
        .some(
          (c) =>
            c.startsWith("authjs.session-token=;") ||
            /authjs\.session-token=[^;]*;.*(Max-Age=0|Expires=Thu, 01 Jan 1970)/i.test(c),
        ),
    ).toBe(true);

    expectError(await trpcQuery(baseUrl, "workspace.list", undefined, cookie), "UNAUTHORIZED", 401);
    expect(expectData(await trpcQuery(baseUrl, "system.me", undefined, cookie))).toBeNull();
  });
});
