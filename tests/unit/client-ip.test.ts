import { describe, expect, it } from "vitest";
import type { IncomingMessage } from "node:http";
import {
  addressBucket,
  CLIENT_IP_HEADER,
  clientIpFrom,
  EDGE_TOKEN_HEADER,
  normalizeAddress,
  resolveClientAddress,
  stampClientAddress,
  UNKNOWN_CLIENT,
} from "@/server/http/client-ip";

describe("resolveClientAddress", () => {
  it("without a trusted proxy, is the socket peer whatever X-Forwarded-For says", () => {
    expect(resolveClientAddress("203.0.113.7", { "x-forwarded-for": "1.2.3.4" }, { hops: 0 })).toBe("203.0.113.7");
    expect(
      resolveClientAddress(
        "203.0.113.7",
        { "x-forwarded-for": "1.2.3.4, 5.6.7.8", "x-real-ip": "9.9.9.9" },
        { hops: 0 },
      ),
    ).toBe("203.0.113.7");
    expect(resolveClientAddress("203.0.113.7", {}, { hops: 0 })).toBe("203.0.113.7");
  });

  it("behind one proxy, is the entry that proxy appended (client-written entries to its left are ignored)", () => {
    // client → nginx (10.0.0.2) → Lanes; the client sent "X-Forwarded-For: 6.6.6.6" to nginx.
    expect(resolveClientAddress("10.0.0.2", { "x-forwarded-for": "6.6.6.6, 198.51.100.4" }, { hops: 1 })).toBe(
      "198.51.100.4",
    );
    expect(resolveClientAddress("10.0.0.2", { "x-forwarded-for": "198.51.100.4" }, { hops: 1 })).toBe("198.51.100.4");
  });

  it("behind two proxies, skips both", () => {
    // client → CDN → load balancer (10.0.0.9) → Lanes
    expect(
      resolveClientAddress("10.0.0.9", { "x-forwarded-for": "6.6.6.6, 198.51.100.4, 172.16.0.3" }, { hops: 2 }),
    ).toBe("198.51.100.4");
  });

  it("with a short chain (a request that bypassed the proxy), falls back to the leftmost real entry", () => {
    expect(resolveClientAddress("198.51.100.4", {}, { hops: 2 })).toBe("198.51.100.4");
    expect(resolveClientAddress("10.0.0.9", { "x-forwarded-for": "198.51.100.4" }, { hops: 3 })).toBe("198.51.100.4");
  });

  it("joins repeated X-Forwarded-For headers in order", () => {
    expect(resolveClientAddress("10.0.0.2", { "x-forwarded-for": ["6.6.6.6", "198.51.100.4"] }, { hops: 1 })).toBe(
      "198.51.100.4",
    );
  });

  it("with a trusted header, uses it, or the peer when the proxy did not set it", () => {
    expect(
      resolveClientAddress(
        "10.0.0.2",
        { "cf-connecting-ip": "198.51.100.4", "x-forwarded-for": "6.6.6.6" },
        { header: "cf-connecting-ip" },
      ),
    ).toBe("198.51.100.4");
    expect(resolveClientAddress("10.0.0.2", {}, { header: "cf-connecting-ip" })).toBe("10.0.0.2");
  });

  it("normalizes IPv4-mapped IPv6 so one client is one key", () => {
    expect(resolveClientAddress("::ffff:203.0.113.7", {}, { hops: 0 })).toBe("203.0.113.7");
    expect(normalizeAddress("2001:db8::1")).toBe("2001:db8::1");
    expect(resolveClientAddress(undefined, {}, { hops: 0 })).toBe(UNKNOWN_CLIENT);
  });
});

describe("stampClientAddress / clientIpFrom", () => {
  const token = "edge-secret";

  it("overwrites copies of both headers the client sent", () => {
    const req = {
      socket: { remoteAddress: "203.0.113.7" },
      headers: { [CLIENT_IP_HEADER]: "1.1.1.1", [EDGE_TOKEN_HEADER]: "guess", "x-forwarded-for": "2.2.2.2" },
    } as unknown as IncomingMessage;
    stampClientAddress(req, { hops: 0 }, token);
    expect(req.headers[CLIENT_IP_HEADER]).toBe("203.0.113.7");
    expect(clientIpFrom(new Headers(req.headers as Record<string, string>), token)).toBe("203.0.113.7");
  });

  it("is 'unknown' (one shared bucket, never a client's choice) unless Lanes' server stamped the request", () => {
    expect(clientIpFrom(new Headers({ "x-forwarded-for": "1.2.3.4" }), token)).toBe(UNKNOWN_CLIENT);
    // Behind plain `next start` a client can send both headers, but not the process's secret.
    expect(clientIpFrom(new Headers({ [CLIENT_IP_HEADER]: "1.2.3.4", [EDGE_TOKEN_HEADER]: "guess" }), token)).toBe(
      UNKNOWN_CLIENT,
    );
    expect(clientIpFrom(new Headers({ [CLIENT_IP_HEADER]: "1.2.3.4", [EDGE_TOKEN_HEADER]: "guess" }), undefined)).toBe(
      UNKNOWN_CLIENT,
    );
  });
});

describe("addressBucket (the per-IP limit key)", () => {
  it("keeps IPv4 addresses as they are", () => {
    expect(addressBucket("203.0.113.7")).toBe("203.0.113.7");
    expect(addressBucket(UNKNOWN_CLIENT)).toBe(UNKNOWN_CLIENT);
  });

  it("puts every address of one IPv6 /64 in one bucket, however it is spelled", () => {
    const bucket = addressBucket("2001:db8:aa:1::1");
    expect(bucket).toBe("2001:db8:aa:1::/64");
    expect(addressBucket("2001:0db8:00aa:0001:ffff:1234:5678:9abc")).toBe(bucket);
    expect(addressBucket("2001:DB8:AA:1:0:0:0:2")).toBe(bucket);
    expect(addressBucket("2001:db8:aa:2::1")).not.toBe(bucket);
    expect(addressBucket("::1")).toBe("0:0:0:0::/64");
  });

  it("leaves something that is not an address alone", () => {
    expect(addressBucket("1:2:3")).toBe("1:2:3");
    expect(addressBucket("a::b::c")).toBe("a::b::c");
  });
});
