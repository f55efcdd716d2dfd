/**
 * The Node ⇄ Fetch bridge (src/server/http/fetch-bridge.ts) on a real node:http server on a
 * loopback port, with handlers written against Fetch as tRPC's adapter is.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { sendFetchResponse, toFetchRequest } from "@/server/http/fetch-bridge";
import { isApiRequest } from "@/server/http/api-server";

let server: Server | null = null;

afterEach(async () => {
  const open = server;
  server = null;
  if (!open) return;
  open.closeAllConnections();
  await new Promise<void>((resolve) => open.close(() => resolve()));
});

/** Serves `handler` through the bridge; resolves to the server's base URL. */
async function serve(handler: (request: Request) => Promise<Response> | Response): Promise<string> {
  server = createServer((req, res) => {
    const gone = new AbortController();
    res.once("close", () => gone.abort());
    void Promise.resolve(handler(toFetchRequest(req, "http://lanes.test", gone.signal))).then((response) =>
      sendFetchResponse(response, res),
    );
  });
  const listening = server;
  await new Promise<void>((resolve) => listening.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(listening.address() as AddressInfo).port}`;
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = () => {};
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

const encoder = new TextEncoder();
/** How a streamed answer says so: an SSE subscription, or tRPC's JSON-lines batch. */
const SSE = { "content-type": "text/event-stream" };
const JSON_LINES = { "content-type": "application/json", "transfer-encoding": "chunked" };

describe("toFetchRequest", () => {
  it("carries method, path and query, every header (repeated ones too), and the body", async () => {
    let seen: { method: string; url: string; accept: string | null; custom: string | null; body: string } | null = null;
    const base = await serve(async (request) => {
      seen = {
        method: request.method,
        url: request.url,
        accept: request.headers.get("accept"),
        custom: request.headers.get("x-custom"),
        body: await request.text(),
      };
      return new Response(null, { status: 204 });
    });
    const headers = new Headers([
      ["accept", "application/json"],
      ["x-custom", "a"],
      ["x-custom", "b"],
    ]);
    const res = await fetch(`${base}/api/trpc/a.b?batch=1&input=%7B%7D`, { method: "POST", headers, body: "héllo" });
    expect(res.status).toBe(204);
    expect(seen).toEqual({
      method: "POST",
      url: "http://lanes.test/api/trpc/a.b?batch=1&input=%7B%7D",
      accept: "application/json",
      custom: "a, b",
      body: "héllo",
    });
  });

  it("streams the request body: the handler reads the first piece before the client sends the last", async () => {
    const firstRead = deferred();
    const base = await serve(async (request) => {
      const reader = request.body!.getReader();
      const first = await reader.read();
      firstRead.resolve();
      let rest = "";
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        rest += new TextDecoder().decode(value);
      }
      return new Response(`${new TextDecoder().decode(first.value)}|${rest}`);
    });
    const body = new ReadableStream<Uint8Array>({
      async start(controller) {
        controller.enqueue(encoder.encode("first"));
        await firstRead.promise;
        controller.enqueue(encoder.encode("last"));
        controller.close();
      },
    });
    const res = await fetch(`${base}/x`, { method: "POST", body, duplex: "half" } as RequestInit);
    expect(await res.text()).toBe("first|last");
  });
});

describe("sendFetchResponse", () => {
  it("sends an answer held in memory at once, with its length", async () => {
    const body = JSON.stringify({ items: Array.from({ length: 50 }, (_, i) => ({ id: i, title: "é".repeat(i) })) });
    const base = await serve(() => new Response(body, { headers: { "content-type": "application/json" } }));
    const res = await fetch(`${base}/x`);
    expect(res.headers.get("content-length")).toBe(String(Buffer.byteLength(body)));
    expect(res.headers.get("transfer-encoding")).toBeNull();
    expect(await res.text()).toBe(body);
  });

  it("sends status and headers, each Set-Cookie on its own line", async () => {
    const base = await serve(() => {
      const headers = new Headers({ "content-type": "application/json", "x-request-id": "r1" });
      headers.append("set-cookie", "a=1; Path=/; HttpOnly");
      headers.append("set-cookie", "b=2; Path=/");
      return new Response('{"ok":true}', { status: 201, headers });
    });
    const res = await fetch(`${base}/x`);
    expect(res.status).toBe(201);
    expect(res.headers.get("content-type")).toBe("application/json");
    expect(res.headers.get("x-request-id")).toBe("r1");
    expect(res.headers.getSetCookie()).toEqual(["a=1; Path=/; HttpOnly", "b=2; Path=/"]);
    expect(await res.json()).toEqual({ ok: true });
  });

  it("writes each chunk as it is produced, not when the body ends", async () => {
    const firstArrived = deferred();
    const base = await serve(
      () =>
        new Response(
          new ReadableStream<Uint8Array>({
            async start(controller) {
              controller.enqueue(encoder.encode("data: one\n\n"));
              await firstArrived.promise;
              controller.enqueue(encoder.encode("data: two\n\n"));
              controller.close();
            },
          }),
          { headers: { "content-type": "text/event-stream" } },
        ),
    );
    const reader = (await fetch(`${base}/x`)).body!.getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toBe("data: one\n\n");
    firstArrived.resolve();
    const second = await reader.read();
    expect(new TextDecoder().decode(second.value)).toBe("data: two\n\n");
    expect((await reader.read()).done).toBe(true);
  });

  it("cancels the body's source when the client goes away", async () => {
    const cancelled = deferred();
    let stopped = false;
    const base = await serve(
      () =>
        new Response(
          new ReadableStream<Uint8Array>({
            pull: async (controller) => {
              await sleep(5);
              if (!stopped) controller.enqueue(encoder.encode("tick\n"));
            },
            cancel: () => {
              stopped = true;
              cancelled.resolve();
            },
          }),
          { headers: SSE },
        ),
    );
    const leave = new AbortController();
    const res = await fetch(`${base}/x`, { signal: leave.signal });
    await res.body!.getReader().read();
    leave.abort();
    await expect(
      Promise.race([cancelled.promise.then(() => "cancelled"), sleep(5_000).then(() => "still running")]),
    ).resolves.toBe("cancelled");
  });

  it("cuts the connection when the body fails after the status was sent", async () => {
    const base = await serve(
      () =>
        new Response(
          new ReadableStream<Uint8Array>({
            start(controller) {
              controller.enqueue(encoder.encode("partial"));
              setTimeout(() => controller.error(new Error("source failed")), 10);
            },
          }),
          { headers: JSON_LINES },
        ),
    );
    const res = await fetch(`${base}/x`);
    expect(res.status).toBe(200);
    await expect(res.text()).rejects.toThrow();
  });

  it("waits for the client to take data before reading more (backpressure)", async () => {
    let produced = 0;
    const chunk = new Uint8Array(64 * 1024);
    const base = await serve(
      () =>
        new Response(
          new ReadableStream<Uint8Array>(
            {
              pull(controller) {
                produced += 1;
                if (produced > 2_000) controller.close();
                else controller.enqueue(chunk);
              },
            },
            { highWaterMark: 0 },
          ),
          { headers: JSON_LINES },
        ),
    );
    const reader = (await fetch(`${base}/x`)).body!.getReader();
    await reader.read();
    await sleep(200);
    // 2,000 × 64 KiB = 125 MiB on offer; a client that stopped reading holds the server to socket buffers.
    expect(produced).toBeLessThan(400);
    await reader.cancel();
  });
});

describe("isApiRequest", () => {
  it("takes /api/trpc and its procedures for the methods the route exports, and leaves the rest to Next", () => {
    expect(isApiRequest("GET", "/api/trpc/task.list?input=%7B%7D")).toBe(true);
    expect(isApiRequest("POST", "/api/trpc/task.create,task.update?batch=1")).toBe(true);
    expect(isApiRequest("DELETE", "/api/trpc")).toBe(true);
    for (const [method, url] of [
      ["HEAD", "/api/trpc/task.list"],
      ["OPTIONS", "/api/trpc/task.list"],
      ["GET", "/api/trpc/task.list/"],
      ["GET", "/api/trpc/../v1/tasks"],
      ["GET", "/api/trpcx"],
      ["GET", "/API/trpc/task.list"],
      ["GET", "http://evil.test/api/trpc/task.list"],
      ["GET", "/api/v1/tasks"],
      ["GET", "/"],
    ] as const)
      expect(isApiRequest(method, url), `${method} ${url}`).toBe(false);
  });
});

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
