/**
 * /api/trpc answered by Lanes' own HTTP server, outside Next's route (src/server/http/api-server.ts,
 * decision 0043): the whole http suite runs against it; these check what Next used to add or do —
 * the security headers, streaming a subscription, stopping it when the client leaves — and that
 * Next's route really is out of the path.
 */
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import superjson from "superjson";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { openLiveStream, readUntil, signIn, trpcMutation, trpcQuery, uniqueEmail } from "../helpers/http";

const serverLog = path.resolve(import.meta.dirname, ".server.log");
const SECURITY_HEADERS = [
  "x-content-type-options",
  "referrer-policy",
  "x-frame-options",
  "permissions-policy",
  "cross-origin-opener-policy",
  "content-security-policy",
];

let baseUrl = "";
let cookie = "";
let slug = "";

beforeAll(async () => {
  baseUrl = inject("baseUrl");
  cookie = await signIn(baseUrl, uniqueEmail("api-server"));
  slug = `aps-${randomBytes(4).toString("hex")}`;
  expect((await trpcMutation(baseUrl, "workspace.create", { name: "API server", slug }, cookie)).status).toBe(200);
});

/** The live-stream gauge as the internal metrics port reports it. */
async function liveStreams(): Promise<number> {
  const text = await (await fetch(inject("metricsUrl"))).text();
  const line = text.split("\n").find((l) => l.startsWith("lanes_live_subscriptions "));
  return Number(line?.split(" ")[1] ?? Number.NaN);
}

describe("/api/trpc on Lanes' own server", () => {
  it("is answered outside Next's route: Next's request log names Next's routes, never a tRPC call", async () => {
    const marker = `marker${randomBytes(4).toString("hex")}`;
    expect((await trpcQuery(baseUrl, `${marker}.list`, undefined, cookie)).status).toBe(404);
    expect((await fetch(`${baseUrl}/api/health/live?${marker}`)).status).toBe(200);
    // Next logs a request after answering it: wait for the Next-served one, then look for both.
    await expect.poll(() => readFileSync(serverLog, "utf8").includes(`/api/health/live?${marker}`)).toBe(true);
    expect(readFileSync(serverLog, "utf8")).not.toContain(`/api/trpc/${marker}`);
  });

  it("carries the security headers Next gives its own API routes", async () => {
    const next = await fetch(`${baseUrl}/api/health/live`);
    for (const res of [
      await fetch(
        `${baseUrl}/api/trpc/project.list?input=${encodeURIComponent(JSON.stringify({ json: { workspaceSlug: slug } }))}`,
        {
          headers: { cookie },
        },
      ),
      await fetch(`${baseUrl}/api/trpc/project.list`),
      await fetch(`${baseUrl}/api/trpc/project.create`, {
        method: "POST",
        body: "{",
        headers: { "content-type": "application/json" },
      }),
    ]) {
      for (const name of SECURITY_HEADERS) {
        expect(next.headers.get(name), name).toBeTruthy();
        expect(res.headers.get(name), name).toBe(next.headers.get(name));
      }
      expect(res.headers.get("content-type")).toMatch(/^application\/json/);
      expect(res.headers.get("x-request-id")).toBeTruthy();
    }
  });

  it("streams a subscription as changes happen, and ends it when the client goes away", async () => {
    const before = await liveStreams();
    const leave = new AbortController();
    const { res, reader } = await openLiveStream(baseUrl, slug, cookie, leave.signal);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    // The first event (the stream's position) arrives while the response is still open…
    expect(await readUntil(reader, /"kind":"ready"/)).toMatch(/^data: /m);
    await expect.poll(liveStreams).toBe(before + 1);
    // …and a change made meanwhile follows on the same response.
    const key = `L${randomBytes(2).toString("hex").toUpperCase()}`.slice(0, 5);
    expect(
      (await trpcMutation(baseUrl, "project.create", { workspaceSlug: slug, key, name: "Live" }, cookie)).status,
    ).toBe(200);
    expect(await readUntil(reader, /project\.created/)).toContain("project.created");
    leave.abort();
    await expect.poll(liveStreams, { timeout: 10_000 }).toBe(before);
  });

  it("reads a POST body sent in pieces, and refuses one past the limit while it streams (413)", async () => {
    const encoder = new TextEncoder();
    const json = JSON.stringify(superjson.serialize({ workspaceSlug: slug, key: "PCS", name: "Pieces" }));
    const pieces = new ReadableStream<Uint8Array>({
      async start(controller) {
        for (let i = 0; i < json.length; i += 7) {
          controller.enqueue(encoder.encode(json.slice(i, i + 7)));
          await new Promise((resolve) => setTimeout(resolve, 2));
        }
        controller.close();
      },
    });
    const ok = await fetch(`${baseUrl}/api/trpc/project.create`, {
      method: "POST",
      headers: { cookie, "content-type": "application/json" },
      body: pieces,
      duplex: "half",
    } as RequestInit);
    expect(ok.status).toBe(200);

    const megabyte = "x".repeat(1024 * 1024);
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.enqueue(encoder.encode(megabyte));
      },
    });
    const refused = await fetch(`${baseUrl}/api/trpc/project.create`, {
      method: "POST",
      headers: { cookie, "content-type": "application/json" },
      body: endless,
      duplex: "half",
    } as RequestInit).catch((error: unknown) => error);
    // The server answers 413 as soon as the limit passes; a client still sending may see the cut instead.
    if (refused instanceof Response) expect(refused.status).toBe(413);
    else expect(refused).toBeInstanceOf(Error);
    // Either way the server is fine and the limit held no half-written project.
    const projects = await trpcQuery<Array<{ key: string }>>(baseUrl, "project.list", { workspaceSlug: slug }, cookie);
    expect(projects.ok && projects.data.map((p) => p.key)).toContain("PCS");
  });
});
