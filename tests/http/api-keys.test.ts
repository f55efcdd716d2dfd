/**
 * API keys over real HTTP: `Authorization: Bearer lanes_…` on /api/trpc, with the typed
 * client and by hand. Keys are made through the API by a signed-in owner, as in the UI.
 */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { createTRPCClient, httpBatchLink, TRPCClientError } from "@trpc/client";
import superjson from "superjson";
import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/routers/_app";
import { RATE_POLICIES } from "@/server/ratelimit/limiter";
import { leaksInternals, signIn, trpcMutation, trpcQuery, uniqueEmail, type TrpcResponse } from "../helpers/http";

type Outputs = inferRouterOutputs<AppRouter>;

let baseUrl = "";
let owner = "";
let slug = "";
let otherSlug = "";
let projectId = "";

function keyClient(secret: string) {
  return createTRPCClient<AppRouter>({
    links: [
      httpBatchLink({
        url: `${baseUrl}/api/trpc`,
        transformer: superjson,
        headers: { authorization: `Bearer ${secret}` },
      }),
    ],
  });
}

function expectData<T>(res: TrpcResponse<T>): T {
  if (!res.ok) throw new Error(`expected data, got HTTP ${res.status}: ${res.text}`);
  return res.data;
}

function expectRefused<T>(res: TrpcResponse<T>, code: string, status: number): string {
  expect(res.status, res.text).toBe(status);
  if (res.ok) throw new Error(`expected ${code}`);
  expect(res.error.data.code).toBe(code);
  expect(res.error.data.requestId).toEqual(expect.any(String));
  expect(leaksInternals(res.text)).toEqual([]);
  return res.error.message;
}

async function newKey(scope: "read" | "write" | "admin", extra: { rateLimitPerMinute?: number } = {}) {
  return expectData(
    await trpcMutation<Outputs["apiKey"]["create"]>(
      baseUrl,
      "apiKey.create",
      { workspaceSlug: slug, name: `${scope} over HTTP`, scope, ...extra },
      owner,
    ),
  );
}

beforeAll(async () => {
  baseUrl = inject("baseUrl");
  owner = await signIn(baseUrl, uniqueEmail("keys"));
  const suffix = `${Date.now().toString(36)}-${randomBytes(2).toString("hex")}`;
  for (const s of [`keys-${suffix}`, `keys-b-${suffix}`]) {
    expectData(await trpcMutation(baseUrl, "workspace.create", { name: "Keys", slug: s }, owner));
  }
  slug = `keys-${suffix}`;
  otherSlug = `keys-b-${suffix}`;
  const project = expectData(
    await trpcMutation<Outputs["project"]["create"]>(
      baseUrl,
      "project.create",
      { workspaceSlug: slug, key: "API", name: "API project" },
      owner,
    ),
  );
  projectId = project.id;
  expectData(
    await trpcMutation(baseUrl, "task.create", { workspaceSlug: slug, projectId, title: "Listed by a key" }, owner),
  );
});

describe("Authorization: Bearer on /api/trpc", () => {
  it("a read key lists tasks with the typed client; a write is 403; another workspace is 404", async () => {
    const { secret } = await newKey("read");
    const lanes = keyClient(secret);
    const page = await lanes.task.list.query({ workspaceSlug: slug, filter: { projectId } });
    expect(page.items.map((t) => t.title)).toEqual(["Listed by a key"]);

    const write = await lanes.task.create
      .mutate({ workspaceSlug: slug, projectId, title: "no" })
      .catch((e: unknown) => e);
    expect(write).toBeInstanceOf(TRPCClientError);
    expect((write as TRPCClientError<AppRouter>).data?.httpStatus).toBe(403);

    const headers = { authorization: `Bearer ${secret}` };
    expectRefused(
      await trpcQuery(baseUrl, "project.list", { workspaceSlug: otherSlug }, { headers }),
      "NOT_FOUND",
      404,
    );
  });

  it("a write key creates, and the change is attributed to the key", async () => {
    const { key, secret } = await newKey("write");
    const task = await keyClient(secret).task.create.mutate({ workspaceSlug: slug, projectId, title: "Made by a key" });
    const history = expectData(
      await trpcQuery<Outputs["activity"]["forTask"]>(
        baseUrl,
        "activity.forTask",
        { workspaceSlug: slug, taskId: task.id },
        owner,
      ),
    );
    expect(history.items.find((e) => e.action === "task.created")?.apiKey).toMatchObject({ id: key.id });
  });

  it("revoked: the next request is 401 saying so", async () => {
    const { key, secret } = await newKey("read");
    const headers = { authorization: `Bearer ${secret}` };
    expectData(await trpcQuery(baseUrl, "project.list", { workspaceSlug: slug }, { headers }));
    expectData(await trpcMutation(baseUrl, "apiKey.revoke", { workspaceSlug: slug, id: key.id }, owner));
    const message = expectRefused(
      await trpcQuery(baseUrl, "project.list", { workspaceSlug: slug }, { headers }),
      "UNAUTHORIZED",
      401,
    );
    expect(message).toContain("revoked");
  });

  it.each([
    ["an unknown key", `Bearer lanes_AAAAAAAA_${"a".repeat(43)}`, "Unknown API key"],
    ["not a Lanes key", "Bearer hunter2", "not a Lanes API key"],
    ["another scheme", "Basic dXNlcjpwYXNz", "Authorization: Bearer"],
    ["an empty header", "", "Authorization: Bearer"],
  ])("%s is 401 with a clear message, even with a valid session cookie", async (_, authorization, text) => {
    const res = await trpcQuery(
      baseUrl,
      "project.list",
      { workspaceSlug: slug },
      {
        cookie: owner,
        headers: { authorization },
      },
    );
    expect(expectRefused(res, "UNAUTHORIZED", 401)).toContain(text);
  });

  it("a key's mutation needs no Origin (not a browser) and is not a cross-site request", async () => {
    const { secret } = await newKey("write");
    const res = await trpcMutation<Outputs["task"]["create"]>(
      baseUrl,
      "task.create",
      { workspaceSlug: slug, projectId, title: "From a script" },
      { headers: { authorization: `Bearer ${secret}` } },
    );
    expect(expectData(res).title).toBe("From a script");
  });

  it("keys cannot be managed with a key", async () => {
    const { secret } = await newKey("admin");
    const headers = { authorization: `Bearer ${secret}` };
    expectRefused(await trpcQuery(baseUrl, "apiKey.list", { workspaceSlug: slug }, { headers }), "FORBIDDEN", 403);
  });
});

describe("rate limits per key", () => {
  it("every answer carries the key's budget in RateLimit-* headers", async () => {
    const { secret } = await newKey("read");
    const headers = { authorization: `Bearer ${secret}` };
    const first = await trpcQuery(baseUrl, "project.list", { workspaceSlug: slug }, { headers });
    const second = await trpcQuery(baseUrl, "project.list", { workspaceSlug: slug }, { headers });
    expect(first.headers.get("ratelimit-limit")).toBe(String(RATE_POLICIES.keyRead.requests));
    expect(first.headers.get("ratelimit-policy")).toBe(`${RATE_POLICIES.keyRead.requests};w=60`);
    expect(Number(second.headers.get("ratelimit-remaining"))).toBe(
      Number(first.headers.get("ratelimit-remaining")) - 1,
    );
    const reset = Number(first.headers.get("ratelimit-reset"));
    expect(reset).toBeGreaterThanOrEqual(0);
    expect(reset).toBeLessThanOrEqual(60);
  });

  it("a key's own budget refuses it with 429 and Retry-After, while its creator's session goes on", async () => {
    const { secret } = await newKey("read", { rateLimitPerMinute: 3 });
    const headers = { authorization: `Bearer ${secret}` };
    const statuses: number[] = [];
    let refused: TrpcResponse<unknown> | undefined;
    for (let i = 0; i < 4; i++) {
      const res = await trpcQuery(baseUrl, "project.list", { workspaceSlug: slug }, { headers });
      statuses.push(res.status);
      if (res.status === 429) refused = res;
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
    expectRefused(refused!, "TOO_MANY_REQUESTS", 429);
    expect(refused!.headers.get("ratelimit-limit")).toBe("3");
    expect(refused!.headers.get("ratelimit-remaining")).toBe("0");
    expect(Number(refused!.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expectData(await trpcQuery(baseUrl, "project.list", { workspaceSlug: slug }, owner));
  });
});

describe("examples/list-tasks.ts (the documented typed-client example)", () => {
  it("runs against the server with a read key: lists tasks, and reports the refused create as 403", async () => {
    const { secret } = await newKey("read");
    const root = path.resolve(import.meta.dirname, "..", "..");
    const { stdout } = await promisify(execFile)(
      path.join(root, "node_modules", ".bin", "tsx"),
      [path.join(root, "examples", "list-tasks.ts")],
      { env: { ...process.env, LANES_URL: baseUrl, LANES_API_KEY: secret, LANES_WORKSPACE: slug }, timeout: 60_000 },
    );
    expect(stdout).toContain("1 project(s): API");
    expect(stdout).toContain("Listed by a key");
    expect(stdout).toMatch(/create refused: 403 FORBIDDEN: This API key's scope \(read\) does not allow this/);
  });
});
