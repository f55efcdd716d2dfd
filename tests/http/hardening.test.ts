/**
 * No 5xx from the outside: what a hostile or careless client can send to /api/trpc over real
 * HTTP — crafted superjson envelopes, wrong methods and paths, content types, oversized bodies
 * and batches, text PostgreSQL cannot store, cross-site POSTs, a database that cannot answer in
 * time — always gets the API's JSON error shape with a 4xx (or a retryable 503), never a stack.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import fc from "fast-check";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { MAX_BATCH_SIZE } from "@/shared/api-limits";
import {
  CookieJar,
  fetchCsrf,
  leaksInternals,
  parseTrpcResponse,
  requestSignInEmail,
  signIn,
  trpcMutation,
  trpcQuery,
  uniqueEmail,
  uniqueIp,
  type TrpcResponse,
} from "../helpers/http";

let baseUrl = "";
let cookie = "";
let slug = "";

beforeAll(async () => {
  baseUrl = inject("baseUrl");
  cookie = await signIn(baseUrl, uniqueEmail("hardening"));
  slug = `hard-${randomBytes(4).toString("hex")}`;
  const created = await trpcMutation(baseUrl, "workspace.create", { name: "Hardening", slug }, cookie);
  expect(created.status).toBe(200);
});

/** A 4xx (or the given status) in the API's error shape, with nothing internal in the body. */
function expectApiError<T>(res: TrpcResponse<T>, status: number, code?: string) {
  expect(res.status, res.text).toBe(status);
  expect(res.headers.get("content-type")).toMatch(/^application\/json/);
  if (res.ok) throw new Error(`expected an error, got data: ${res.text}`);
  if (code) expect(res.error.data.code).toBe(code);
  expect(res.error.data.requestId).toBeTruthy();
  expect(leaksInternals(res.text), res.text).toEqual([]);
  expect(res.text).not.toMatch(/call stack|RangeError|SyntaxError|Unexpected token/i);
  return res.error;
}

const post = (path: string, body: BodyInit | null, headers: Record<string, string> = {}) =>
  fetch(`${baseUrl}/api/trpc/${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", cookie, ...headers },
    body,
  });

describe("superjson envelopes", () => {
  it("a type tree nested 20,000 deep is a plain 400 (was: Maximum call stack size exceeded)", async () => {
    // Written as text: JSON.stringify itself cannot serialize a tree this deep.
    const tree = `${'["map",{"a":'.repeat(20_000)}["Date"]${"}]".repeat(20_000)}`;
    const body = `{"json":{"name":"x","slug":"y"},"meta":{"values":{"name":${tree}}}}`;
    const error = expectApiError(await parseTrpcResponse(await post("workspace.create", body)), 400, "BAD_REQUEST");
    expect(error.message).toBe("The request could not be decoded");
  });

  it.each([
    [
      "an unknown custom type",
      { json: { workspaceSlug: "x" }, meta: { values: { workspaceSlug: ["custom", "Nope"] } } },
    ],
    ["a prototype path", { json: {}, meta: { values: { "__proto__.polluted": ["undefined"] } } }],
    ["no envelope at all", { workspaceSlug: "x" }],
    ["a bare number", 42],
  ])("%s is a 400 on GET and POST", async (_, envelope) => {
    const input = encodeURIComponent(JSON.stringify(envelope));
    expectApiError(
      await parseTrpcResponse(await fetch(`${baseUrl}/api/trpc/workspace.get?input=${input}`, { headers: { cookie } })),
      400,
      "BAD_REQUEST",
    );
    expectApiError(
      await parseTrpcResponse(await post("workspace.rename", JSON.stringify(envelope))),
      400,
      "BAD_REQUEST",
    );
  });

  it("invalid JSON is a 400 saying so, without the parser's message", async () => {
    const error = expectApiError(
      await parseTrpcResponse(await post("workspace.create", '{"json": {"name": ')),
      400,
      "BAD_REQUEST",
    );
    expect(error.message).toBe("The request is not valid JSON");
  });
});

describe("text the database cannot store", () => {
  it.each([
    ["NUL in a title", "task.create", () => ({ workspaceSlug: slug, projectId: "p", title: "a\u0000b" }), "title"],
    ["NUL in an id", "task.get", () => ({ workspaceSlug: slug, taskId: "\u0000" }), "taskId"],
    ["a lone surrogate in a name", "workspace.rename", () => ({ workspaceSlug: slug, name: "x\ud800" }), "name"],
    ["NUL in a search", "search.tasks", () => ({ workspaceSlug: slug, q: "\u0000" }), "q"],
  ])("%s is a 400 naming the field", async (_, path, input, field) => {
    const call = path.startsWith("task.get") || path.startsWith("search") ? trpcQuery : trpcMutation;
    const error = expectApiError(await call(baseUrl, path, input(), cookie), 400, "BAD_REQUEST");
    expect(error.data.fieldErrors?.[field], JSON.stringify(error)).toBeDefined();
  });

  it("a 1 MB string inside a small-enough body is a 400 naming the field", async () => {
    const error = expectApiError(
      await trpcMutation(baseUrl, "workspace.rename", { workspaceSlug: slug, name: "x".repeat(900_000) }, cookie),
      400,
      "BAD_REQUEST",
    );
    expect(error.data.fieldErrors?.name).toBeDefined();
  });
});

describe("methods, paths and content types", () => {
  it.each(["PUT", "PATCH", "DELETE"])("%s answers 405 in the JSON error shape", async (method) => {
    const res = await fetch(`${baseUrl}/api/trpc/workspace.list`, { method, headers: { cookie } });
    expectApiError(await parseTrpcResponse(res), 405, "METHOD_NOT_SUPPORTED");
  });

  it.each(["", "/", "/a/b/c", "/no.such.procedure", "/%E2%82"])("GET /api/trpc%s answers 404 JSON", async (suffix) => {
    const res = await fetch(`${baseUrl}/api/trpc${suffix}`, { headers: { cookie } });
    expectApiError(await parseTrpcResponse(res), 404, "NOT_FOUND");
  });

  it.each([
    ["text/plain", "{}"],
    ["multipart/form-data; boundary=x", "--x\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n--x--\r\n"],
    ["application/octet-stream", "binary"],
    ["application/x-www-form-urlencoded", "a=1"],
  ])("a POST of %s answers 415", async (type, body) => {
    expectApiError(
      await parseTrpcResponse(await post("workspace.rename", body, { "content-type": type })),
      415,
      "UNSUPPORTED_MEDIA_TYPE",
    );
  });
});

describe("hostile text at the sign-in endpoints (Auth.js, outside /api/trpc)", () => {
  const hostile = ["a\u0000b@example.test", "\ud800@example.test", `${"x".repeat(300_000)}@example.test`, "%00", ""];

  it.each(hostile.map((value) => [JSON.stringify(value).slice(0, 40), value]))(
    "an email of %s is refused or ignored, never a 5xx",
    async (_, email) => {
      const jar = new CookieJar();
      const csrfToken = await fetchCsrf(baseUrl, jar);
      const res = await requestSignInEmail(baseUrl, jar, csrfToken, email, uniqueIp());
      expect(res.status, await res.text()).toBeLessThan(500);
    },
  );

  it.each(hostile.map((value) => [JSON.stringify(value).slice(0, 40), value]))(
    "a sign-in link with token and email %s is refused, never a 5xx",
    async (_, value) => {
      const query = new URLSearchParams({ token: value, email: value, callbackUrl: value }).toString();
      const res = await fetch(`${baseUrl}/api/auth/callback/email?${query}`, { redirect: "manual" });
      expect(res.status, await res.text()).toBeLessThan(500);
      expect(res.headers.get("set-cookie") ?? "").not.toContain("session-token=");
    },
  );
});

describe("a callback-URL cookie Auth.js cannot use", () => {
  it("is dropped, not answered with a 500", async () => {
    const res = await fetch(`${baseUrl}/api/auth/session`, { headers: { cookie: "authjs.callback-url=%00nope" } });
    expect(res.status, await res.text()).toBe(200);
  });
});

describe("sizes", () => {
  const big = JSON.stringify({ json: { workspaceSlug: slug, name: "x".repeat(2_000_000) } });

  it("a body over 1 MB answers 413 (declared length)", async () => {
    expectApiError(await parseTrpcResponse(await post("workspace.rename", big)), 413, "PAYLOAD_TOO_LARGE");
  });

  it("a chunked body over 1 MB answers 413 (counted as it streams)", async () => {
    const encoded = new TextEncoder().encode(big);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < encoded.length; i += 65_536) controller.enqueue(encoded.slice(i, i + 65_536));
        controller.close();
      },
    });
    const res = await fetch(`${baseUrl}/api/trpc/workspace.rename`, {
      method: "POST",
      headers: { "content-type": "application/json", cookie },
      body: stream,
      duplex: "half",
    } as RequestInit);
    expectApiError(await parseTrpcResponse(res), 413, "PAYLOAD_TOO_LARGE");
  });

  it(`a batch of ${MAX_BATCH_SIZE} answers; ${MAX_BATCH_SIZE + 1} is a 400`, async () => {
    const batch = (n: number) => {
      const paths = Array.from({ length: n }, () => "system.me").join(",");
      const input = encodeURIComponent(
        JSON.stringify(
          Object.fromEntries(Array.from({ length: n }, (_, i) => [i, { json: null, meta: { values: ["undefined"] } }])),
        ),
      );
      return fetch(`${baseUrl}/api/trpc/${paths}?batch=1&input=${input}`, { headers: { cookie } });
    };
    const ok = await batch(MAX_BATCH_SIZE);
    expect(ok.status).toBe(200);
    const refused = await parseTrpcResponse(await batch(MAX_BATCH_SIZE + 1));
    expectApiError(refused, 400, "BAD_REQUEST");
    expect(refused.text).toMatch(/Batch call exceeds maximum size/);
  });
});

describe("cross-site requests (docs/decisions/0017-csrf.md)", () => {
  const rename = (headers: Record<string, string>) =>
    post("workspace.rename", JSON.stringify({ json: { workspaceSlug: slug, name: "Renamed" } }), headers);

  it.each([
    ["Sec-Fetch-Site: cross-site", { "sec-fetch-site": "cross-site", origin: "https://evil.example" }],
    ["Sec-Fetch-Site: same-site", { "sec-fetch-site": "same-site" }],
    ["a foreign Origin (older browsers)", { origin: "https://evil.example" }],
    ["Origin: null", { origin: "null" }],
  ])("%s with the victim's cookie answers 403 and changes nothing", async (_, headers) => {
    expectApiError(await parseTrpcResponse(await rename(headers)), 403, "FORBIDDEN");
    const ws = await trpcQuery<{ name: string }>(baseUrl, "workspace.get", { workspaceSlug: slug }, cookie);
    expect(ws.ok && ws.data.name).toBe("Hardening");
  });

  it("the app's own pages (same-origin) and non-browser clients pass", async () => {
    expect((await rename({ "sec-fetch-site": "same-origin", origin: baseUrl })).status).toBe(200);
    expect((await rename({ origin: baseUrl })).status).toBe(200);
    expect((await rename({})).status).toBe(200);
  });
});

describe("a database that cannot answer in time", () => {
  it("answers 503 SERVICE_UNAVAILABLE with Retry-After when a row stays locked, and the retry succeeds", async () => {
    const project = await trpcMutation<{ id: string }>(
      baseUrl,
      "project.create",
      { workspaceSlug: slug, key: "LOCK", name: "Locks" },
      cookie,
    );
    if (!project.ok) throw new Error(project.text);
    const task = await trpcMutation<{ id: string; version: number }>(
      baseUrl,
      "task.create",
      { workspaceSlug: slug, projectId: project.data.id, title: "Locked" },
      cookie,
    );
    if (!task.ok) throw new Error(task.text);
    const holder = new pg.Client({ connectionString: inject("databaseUrl") });
    await holder.connect();
    try {
      await holder.query("BEGIN");
      await holder.query(`SELECT id FROM "Task" WHERE id = $1 FOR UPDATE`, [task.data.id]);
      const res = await trpcMutation(
        baseUrl,
        "task.update",
        { workspaceSlug: slug, taskId: task.data.id, version: task.data.version, patch: { title: "Edited" } },
        cookie,
      );
      const error = expectApiError(res, 503, "SERVICE_UNAVAILABLE");
      expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(error.data.details?.retryAfterSeconds).toBeGreaterThan(0);
      await holder.query("ROLLBACK");
    } finally {
      await holder.end();
    }
    const retry = await trpcMutation<{ title: string }>(
      baseUrl,
      "task.update",
      { workspaceSlug: slug, taskId: task.data.id, version: task.data.version, patch: { title: "Edited" } },
      cookie,
    );
    expect(retry.ok && retry.data.title).toBe("Edited");
  });
});

describe("random bodies to every kind of request", () => {
  it("300 random POST bodies and GET inputs: never a 5xx, always JSON", async () => {
    const paths = [
      "workspace.create",
      "workspace.rename",
      "task.create",
      "task.update",
      "task.list",
      "search.tasks",
      "comment.create",
      "a.b",
      "",
      "task.list,task.get",
    ];
    const body = fc.oneof(
      fc.jsonValue().map((v) => JSON.stringify(v)),
      fc.jsonValue().map((v) => JSON.stringify({ json: v })),
      fc.record({ json: fc.jsonValue(), meta: fc.jsonValue() }).map((v) => JSON.stringify(v)),
      fc.string({ unit: "binary", maxLength: 200 }),
    );
    const statuses: number[] = [];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...paths),
        body,
        fc.boolean(),
        fc.boolean(),
        async (path, text, asGet, batch) => {
          const query = batch ? "?batch=1" : "";
          const res = asGet
            ? await fetch(`${baseUrl}/api/trpc/${path}${query}${query ? "&" : "?"}input=${encodeURIComponent(text)}`, {
                headers: { cookie },
              })
            : await post(`${path}${query}`, text);
          statuses.push(res.status);
          const raw = await res.text();
          expect(res.status, `${path} ${raw.slice(0, 300)}`).toBeLessThan(500);
          expect(res.headers.get("content-type"), raw.slice(0, 200)).toMatch(/^application\/json/);
          expect(leaksInternals(raw), raw.slice(0, 300)).toEqual([]);
        },
      ),
      { seed: 4242, numRuns: 300 },
    );
    expect(statuses.length).toBe(300);
  });
});

describe("security headers", () => {
  it("pages carry a CSP with a fresh nonce per request, matching the nonce on Next's scripts", async () => {
    const [a, b] = await Promise.all([fetch(`${baseUrl}/signin`), fetch(`${baseUrl}/signin`)]);
    const nonceOf = (res: Response) => /'nonce-([^']+)'/.exec(res.headers.get("content-security-policy") ?? "")?.[1];
    expect(nonceOf(a)).toBeTruthy();
    expect(nonceOf(a)).not.toBe(nonceOf(b));
    const html = await a.text();
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag, tag).toContain(`nonce="${nonceOf(a)}"`);
    expect(a.headers.get("content-security-policy")).toMatch(/frame-ancestors 'none'/);
    expect(a.headers.get("x-content-type-options")).toBe("nosniff");
    expect(a.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
    // APP_URL is http here: no HSTS, which would pin a plain-http host to https.
    expect(a.headers.get("strict-transport-security")).toBeNull();
  });

  it("API answers get a policy that lets nothing load or run", async () => {
    const res = await fetch(`${baseUrl}/api/health`);
    expect(res.headers.get("content-security-policy")).toBe(
      "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
    );
    expect(res.headers.get("x-frame-options")).toBe("DENY");
  });
});

describe("a database outage", () => {
  it("signed-in calls answer 503 (retry), not 401 (which would sign people out), and recover by themselves", async () => {
    const url = new URL(inject("databaseUrl"));
    const name = url.pathname.slice(1);
    const admin = new pg.Client({
      connectionString: Object.assign(new URL(url), { pathname: "/postgres" }).toString(),
    });
    await admin.connect();
    try {
      await admin.query(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS false`);
      await admin.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`,
        [name],
      );
      const list = await trpcQuery(baseUrl, "workspace.list", undefined, cookie);
      const error = expectApiError(list, 503, "SERVICE_UNAVAILABLE");
      expect(Number(list.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(error.data.details?.retryAfterSeconds).toBeGreaterThan(0);
      expect((await fetch(`${baseUrl}/api/health`)).status).toBe(503);
    } finally {
      await admin.query(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS true`);
      await admin.end();
    }
    const again = await trpcQuery(baseUrl, "workspace.list", undefined, cookie);
    expect(again.status, again.text).toBe(200);
  });
});
