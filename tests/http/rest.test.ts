/**
 * /api/v1 over real HTTP, as a script or another service calls it: API keys made through the API
 * by a signed-in owner (as in the UI), then plain fetch with `Authorization: Bearer`.
 */
import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, inject, it } from "vitest";
import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/routers/_app";
import { leaksInternals, signIn, trpcMutation, uniqueEmail, type TrpcResponse } from "../helpers/http";

type Outputs = inferRouterOutputs<AppRouter>;
type RestError = { code: string; message: string; requestId: string; fieldErrors?: Record<string, string[]> };

let baseUrl = "";
let owner = "";
let slug = "";
let otherSlug = "";
let projectId = "";
let taskId = "";
let readKey = "";
let writeKey = "";

function expectData<T>(res: TrpcResponse<T>): T {
  if (!res.ok) throw new Error(`expected data, got HTTP ${res.status}: ${res.text}`);
  return res.data;
}

async function newKey(scope: "read" | "write" | "admin") {
  return expectData(
    await trpcMutation<Outputs["apiKey"]["create"]>(
      baseUrl,
      "apiKey.create",
      { workspaceSlug: slug, name: `REST ${scope}`, scope },
      owner,
    ),
  );
}

type Call = { key?: string; body?: unknown; raw?: string; headers?: Record<string, string> };

async function rest(method: string, path: string, call: Call = {}) {
  const headers: Record<string, string> = { ...call.headers };
  if (call.key) headers.authorization = `Bearer ${call.key}`;
  const body = call.raw ?? (call.body === undefined ? undefined : JSON.stringify(call.body));
  if (body !== undefined && !("content-type" in headers)) headers["content-type"] = "application/json";
  const res = await fetch(`${baseUrl}/api/v1${path}`, { method, headers, body });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: JSON.parse(text) as unknown };
}

/** A refusal in the REST error contract: JSON, a stable code, a request id, nothing internal. */
function expectError(res: Awaited<ReturnType<typeof rest>>, status: number, code: string): RestError {
  expect(res.status, res.text).toBe(status);
  expect(res.headers.get("content-type")).toContain("application/json");
  const error = res.json as RestError;
  expect(error.code).toBe(code);
  expect(error.message).toEqual(expect.any(String));
  expect(error.requestId).toBe(res.headers.get("x-request-id"));
  expect(leaksInternals(res.text)).toEqual([]);
  return error;
}

beforeAll(async () => {
  baseUrl = inject("baseUrl");
  owner = await signIn(baseUrl, uniqueEmail("rest"));
  const suffix = `${Date.now().toString(36)}-${randomBytes(2).toString("hex")}`;
  slug = `rest-${suffix}`;
  otherSlug = `rest-b-${suffix}`;
  for (const s of [slug, otherSlug])
    expectData(await trpcMutation(baseUrl, "workspace.create", { name: "REST", slug: s }, owner));
  const project = expectData(
    await trpcMutation<Outputs["project"]["create"]>(
      baseUrl,
      "project.create",
      { workspaceSlug: slug, key: "RST", name: "REST project" },
      owner,
    ),
  );
  projectId = project.id;
  const task = expectData(
    await trpcMutation<Outputs["task"]["create"]>(
      baseUrl,
      "task.create",
      { workspaceSlug: slug, projectId, title: "Listed over REST" },
      owner,
    ),
  );
  taskId = task.id;
  readKey = (await newKey("read")).secret;
  writeKey = (await newKey("write")).secret;
});

describe("REST with an API key", () => {
  it("a read key lists, gets and pages tasks; the answer carries its rate-limit budget", async () => {
    const list = await rest("POST", `/workspaces/${slug}/tasks/query`, {
      key: readKey,
      body: { filter: { projectId } },
    });
    expect(list.status, list.text).toBe(200);
    const page = list.json as { items: Array<{ id: string; title: string; createdAt: string }>; nextCursor: null };
    expect(page.items.map((t) => t.title)).toEqual(["Listed over REST"]);
    expect(new Date(page.items[0]!.createdAt).toString()).not.toBe("Invalid Date");
    expect(page.nextCursor).toBeNull();
    expect(Number(list.headers.get("ratelimit-remaining"))).toBeGreaterThan(0);
    expect(list.headers.get("ratelimit-limit")).toMatch(/^\d+$/);

    const one = await rest("GET", `/workspaces/${slug}/tasks/${taskId}`, { key: readKey });
    expect((one.json as { ref: string }).ref).toBe("RST-1");
    const byRef = await rest("GET", `/workspaces/${slug}/tasks/by-ref/RST-1`, { key: readKey });
    expect((byRef.json as { id: string }).id).toBe(taskId);
    const projects = await rest("GET", `/workspaces/${slug}/projects?includeArchived=true`, { key: readKey });
    expect((projects.json as Array<{ key: string }>).map((p) => p.key)).toEqual(["RST"]);
    const counts = await rest("GET", `/workspaces/${slug}/projects/${projectId}/task-counts`, { key: readKey });
    expect(counts.json).toMatchObject({ BACKLOG: expect.any(Number) as number });
  });

  it("a write key creates, changes and deletes; a read key's write is 403", async () => {
    const created = await rest("POST", `/workspaces/${slug}/tasks`, {
      key: writeKey,
      body: { projectId, title: "Made over REST", priority: "HIGH" },
    });
    expect(created.status, created.text).toBe(200);
    const task = created.json as { id: string; version: number; title: string };
    const patched = await rest("PATCH", `/workspaces/${slug}/tasks/${task.id}`, {
      key: writeKey,
      body: { version: task.version, patch: { title: "Renamed over REST" } },
    });
    expect(patched.status, patched.text).toBe(200);
    expect((patched.json as { title: string }).title).toBe("Renamed over REST");
    const comment = await rest("POST", `/workspaces/${slug}/tasks/${task.id}/comments`, {
      key: writeKey,
      body: { body: "From a script" },
    });
    expect(comment.status, comment.text).toBe(200);
    const deleted = await rest("DELETE", `/workspaces/${slug}/tasks/${task.id}`, { key: writeKey });
    expect(deleted.json).toEqual({ ok: true });

    const refused = await rest("POST", `/workspaces/${slug}/tasks`, { key: readKey, body: { projectId, title: "no" } });
    expect(expectError(refused, 403, "FORBIDDEN").message).toContain("read");
  });

  it("another workspace is 404, as for a non-member; no or a revoked key is 401", async () => {
    expectError(await rest("GET", `/workspaces/${otherSlug}/projects`, { key: readKey }), 404, "NOT_FOUND");
    const anonymous = expectError(await rest("GET", `/workspaces/${slug}/projects`), 401, "UNAUTHORIZED");
    expect(anonymous.message).toContain("Authorization: Bearer");
    const { key, secret } = await newKey("read");
    expect((await rest("GET", `/workspaces/${slug}/projects`, { key: secret })).status).toBe(200);
    expectData(await trpcMutation(baseUrl, "apiKey.revoke", { workspaceSlug: slug, id: key.id }, owner));
    const revoked = expectError(
      await rest("GET", `/workspaces/${slug}/projects`, { key: secret }),
      401,
      "UNAUTHORIZED",
    );
    expect(revoked.message).toContain("revoked");
  });
});

describe("REST refusals keep the error contract", () => {
  it("bad input names the field, in the query and in the body", async () => {
    const query = expectError(
      await rest("GET", `/workspaces/${slug}/activity?limit=lots`, { key: readKey }),
      400,
      "BAD_REQUEST",
    );
    expect(Object.keys(query.fieldErrors ?? {})).toEqual(["limit"]);
    const body = expectError(
      await rest("POST", `/workspaces/${slug}/tasks`, { key: writeKey, body: { projectId, title: "" } }),
      400,
      "BAD_REQUEST",
    );
    expect(Object.keys(body.fieldErrors ?? {})).toEqual(["title"]);
    const nul = expectError(
      await rest("POST", `/workspaces/${slug}/labels`, { key: writeKey, body: { name: "a\u0000b", color: "#aabbcc" } }),
      400,
      "BAD_REQUEST",
    );
    expect(Object.keys(nul.fieldErrors ?? {})).toEqual(["name"]);
  });

  it("unknown routes are 404 and wrong methods 405 with Allow, in JSON", async () => {
    expect(expectError(await rest("GET", "/nothing/here"), 404, "NOT_FOUND").message).toContain("openapi.json");
    const wrong = await rest("PUT", `/workspaces/${slug}/labels`, { key: writeKey, body: {} });
    expectError(wrong, 405, "METHOD_NOT_SUPPORTED");
    expect(wrong.headers.get("allow")).toBe("GET, POST");
  });

  it.each([
    ["not JSON", { raw: "{title", headers: { "content-type": "application/json" } }, 400, "PARSE_ERROR"],
    ["a JSON array", { raw: "[1]", headers: { "content-type": "application/json" } }, 400, "BAD_REQUEST"],
    [
      "a form",
      { raw: "title=x", headers: { "content-type": "application/x-www-form-urlencoded" } },
      415,
      "UNSUPPORTED_MEDIA_TYPE",
    ],
    ["over 1 MB", { raw: JSON.stringify({ title: "x".repeat(1_100_000) }) }, 413, "PAYLOAD_TOO_LARGE"],
  ])("a body that is %s is refused before the procedure", async (_, call, status, code) => {
    expectError(await rest("POST", `/workspaces/${slug}/tasks`, { key: writeKey, ...call }), status, code);
  });

  it("a malformed path encoding is answered in JSON, not a crash", async () => {
    // Lanes' server repairs the encoding (the stray % is taken literally), so the id names no task.
    const res = await fetch(`${baseUrl}/api/v1/workspaces/${slug}/tasks/%E0%A4%A`, {
      headers: { authorization: `Bearer ${readKey}` },
    });
    const text = await res.text();
    expect(res.status, text).toBe(404);
    expect((JSON.parse(text) as RestError).code).toBe("NOT_FOUND");
  });

  it("the API's root and the document's other methods answer in JSON too", async () => {
    expectError(await rest("GET", ""), 404, "NOT_FOUND");
    const post = await rest("POST", "/openapi.json", { body: {} });
    expectError(post, 405, "METHOD_NOT_SUPPORTED");
  });

  it("a browser's cross-site POST with a session cookie is refused", async () => {
    const res = await rest("POST", `/workspaces/${slug}/labels`, {
      body: { name: "csrf", color: "#aabbcc" },
      headers: { cookie: owner, origin: "https://evil.example", "sec-fetch-site": "cross-site" },
    });
    expectError(res, 403, "FORBIDDEN");
  });
});

describe("OpenAPI document", () => {
  it("is served with this server's address and lists the operations the handler answers", async () => {
    const res = await fetch(`${baseUrl}/api/v1/openapi.json`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as {
      openapi: string;
      servers: Array<{ url: string }>;
      paths: Record<string, unknown>;
    };
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.servers[0]!.url).toMatch(/\/api\/v1$/);
    expect(Object.keys(doc.paths)).toContain("/workspaces/{workspaceSlug}/tasks/query");
  });
});
