import { describe, expect, it } from "vitest";
import type { IncomingMessage } from "node:http";
import { CLIENT_IP_HEADER, clientIpFrom, normalizeAddress, resolveClientAddress, stampClientAddress, UNKNOWN_CLIENT } from "@/server/http/client-ip";

describe("resolveClientAddress", () => {
  it("without a trusted proxy, is the socket peer whatever X-Forwarded-For says", () => {
    expect(resolveClientAddress("203.0.113.7", { "x-forwarded-for": "1.2.3.4" }, { hops: 0 })).toBe("203.0.113.7");
    expect(resolveClientAddress("203.0.113.7", { "x-forwarded-for": "1.2.3.4, 5.6.7.8", "x-real-ip": "9.9.9.9" }, { hops: 0 })).toBe("203.0.113.7");
    expect(resolveClientAddress("203.0.113.7", {}, { hops: 0 })).toBe("203.0.113.7");
  });

  it("behind one proxy, is the entry that proxy appended (client-written entries to its left are ignored)", () => {
    // client → nginx (10.0.0.2) → Lanes; the client sent "X-Forwarded-For: 6.6.6.6" to nginx.
    expect(resolveClientAddress("10.0.0.2", { "x-forwarded-for": "6.6.6.6, 198.51.100.4" }, { hops: 1 })).toBe("198.51.100.4");
    expect(resolveClientAddress("10.0.0.2", { "x-forwarded-for": "198.51.100.4" }, { hops: 1 })).toBe("198.51.100.4");
  });

  it("behind two proxies, skips both", () => {
    // client → CDN → load balancer (10.0.0.9) → Lanes
    expect(resolveClientAddress("10.0.0.9", { "x-forwarded-for": "6.6.6.6, 198.51.100.4, 172.16.0.3" }, { hops: 2 })).toBe("198.51.100.4");
  });

  it("with a short chain (a request that bypassed the proxy), falls back to the leftmost real entry", () => {
    expect(resolveClientAddress("198.51.100.4", {}, { hops: 2 })).toBe("198.51.100.4");
    expect(resolveClientAddress("10.0.0.9", { "x-forwarded-for": "198.51.100.4" }, { hops: 3 })).toBe("198.51.100.4");
  });

  it("joins repeated X-Forwarded-For headers in order", () => {
    expect(resolveClientAddress("10.0.0.2", { "x-forwarded-for": ["6.6.6.6", "198.51.100.4"] }, { hops: 1 })).toBe("198.51.100.4");
  });

  it("with a trusted header, uses it, or the peer when the proxy did not set it", () => {
    expect(resolveClientAddress("10.0.0.2", { "cf-connecting-ip": "198.51.100.4", "x-forwarded-for": "6.6.6.6" }, { header: "cf-connecting-ip" })).toBe("198.51.100.4");
    expect(resolveClientAddress("10.0.0.2", {}, { header: "cf-connecting-ip" })).toBe("10.0.0.2");
  });

  it("normalizes IPv4-mapped IPv6 so one client is one key", () => {
    expect(resolveClientAddress("::ffff:203.0.113.7", {}, { hops: 0 })).toBe("203.0.113.7");
    expect(normalizeAddress("2001:db8::1")).toBe("2001:db8::1");
    expect(resolveClientAddress(undefined, {}, { hops: 0 })).toBe(UNKNOWN_CLIENT);
  });
});

describe("stampClientAddress / clientIpFrom", () => {
  it("overwrites a copy of the header the client sent", () => {
    const req = { socket: { remoteAddress: "203.0.113.7" }, headers: { [CLIENT_IP_HEADER]: "1.1.1.1", "x-forwarded-for": "2.2.2.2" } } as unknown as IncomingMessage;
    stampClientAddress(req, { hops: 0 });
    expect(req.headers[CLIENT_IP_HEADER]).toBe("203.0.113.7");
    expect(clientIpFrom(new Headers({ [CLIENT_IP_HEADER]: "203.0.113.7" }))).toBe("203.0.113.7");
  });

  it("is 'unknown' (one shared bucket, never a client's choice) when Lanes' server did not stamp the request", () => {
    expect(clientIpFrom(new Headers({ "x-forwarded-for": "1.2.3.4" }))).toBe(UNKNOWN_CLIENT);
  });
});
