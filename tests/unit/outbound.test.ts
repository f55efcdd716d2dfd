/**
 * The outbound POST guard against real HTTP servers on this machine: loopback is refused unless
 * allow-listed, a redirect is checked like the first request (an allowed host cannot bounce the
 * request to a private address), and the address ranges a webhook must never reach.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isPublicAddress, MAX_REDIRECTS, postJson, TargetRefused } from "@/server/http/outbound";

let server: Server;
let port = 0;
const hits: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    hits.push(req.url ?? "");
    const url = new URL(req.url ?? "/", "http://x");
    const to = url.searchParams.get("to");
    if (to) res.writeHead(307, { location: to }).end();
    else res.writeHead(202).end("x".repeat(5000));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const allowLoopback = { allowed: ["127.0.0.1"] };

describe("postJson", () => {
  it("refuses loopback, by address and by name, unless allow-listed", async () => {
    const none = { allowed: [] };
    await expect(postJson(none, `http://127.0.0.1:${port}/`, {}, "{}", 2000)).rejects.toBeInstanceOf(TargetRefused);
    await expect(postJson(none, `http://localhost:${port}/`, {}, "{}", 2000)).rejects.toThrow(/not a public address/);
    const ok = await postJson(allowLoopback, `http://127.0.0.1:${port}/`, {}, "{}", 2000);
    expect(ok.status).toBe(202);
    expect(ok.excerpt.length).toBeLessThanOrEqual(1024);
    // A CIDR range allows what it covers.
    expect((await postJson({ allowed: ["127.0.0.0/8"] }, `http://127.0.0.1:${port}/`, {}, "{}", 2000)).status).toBe(
      202,
    );
  });

  it("checks every redirect again: an allowed target cannot send the request inside", async () => {
    const inside = encodeURIComponent(`http://127.0.0.2:${port}/secret`);
    await expect(postJson(allowLoopback, `http://127.0.0.1:${port}/?to=${inside}`, {}, "{}", 2000)).rejects.toThrow(
      /127\.0\.0\.2 is not a public address/,
    );
    const metadata = encodeURIComponent("http://169.254.169.254/latest/meta-data");
    await expect(postJson(allowLoopback, `http://127.0.0.1:${port}/?to=${metadata}`, {}, "{}", 2000)).rejects.toThrow(
      TargetRefused,
    );
    const allowedHop = encodeURIComponent(`http://127.0.0.1:${port}/final`);
    const followed = await postJson(allowLoopback, `http://127.0.0.1:${port}/?to=${allowedHop}`, {}, "{}", 2000);
    expect(followed.finalUrl).toBe(`http://127.0.0.1:${port}/final`);
  });

  it("gives up after too many redirects", async () => {
    let url = `http://127.0.0.1:${port}/end`;
    for (let i = 0; i <= MAX_REDIRECTS; i++) url = `http://127.0.0.1:${port}/?to=${encodeURIComponent(url)}`;
    await expect(postJson(allowLoopback, url, {}, "{}", 2000)).rejects.toThrow(/redirects/);
  });

  it("refuses other schemes and credentials in the URL", async () => {
    await expect(postJson(allowLoopback, "file:///etc/passwd", {}, "{}", 2000)).rejects.toThrow(/http or https/);
    await expect(postJson(allowLoopback, `http://a:b@127.0.0.1:${port}/`, {}, "{}", 2000)).rejects.toThrow(/passwords/);
  });
});

describe("isPublicAddress", () => {
  it.each([
    ["10.1.2.3", false],
    ["172.16.0.1", false],
    ["192.168.1.1", false],
    ["127.0.0.1", false],
    ["169.254.169.254", false],
    ["100.64.0.1", false],
    ["0.0.0.0", false],
    ["224.0.0.1", false],
    ["::1", false],
    ["fe80::1", false],
    ["fd00:ec2::254", false],
    ["::ffff:10.0.0.1", false],
    ["::127.0.0.1", false],
    ["8.8.8.8", true],
    ["2606:4700:4700::1111", true],
    ["not an address", false],
  ])("%s → %s", (address, expected) => {
    expect(isPublicAddress(address)).toBe(expected);
  });
});
