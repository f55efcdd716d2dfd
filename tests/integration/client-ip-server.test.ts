/**
 * The client address as Lanes' server stamps it, over real HTTP: a node:http server doing exactly
 * what src/server/http/serve.ts does per request (stampClientAddress), read back the way the app
 * reads it (clientIpFrom). Without a trusted proxy, nothing a client sends changes its address.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CLIENT_IP_HEADER,
  clientIpFrom,
  EDGE_TOKEN_HEADER,
  stampClientAddress,
  type ProxyTrust,
} from "@/server/http/client-ip";

const TOKEN = "test-edge-token";

function serverWith(trust: ProxyTrust): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    stampClientAddress(req, trust, TOKEN);
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) if (typeof value === "string") headers.set(name, value);
    res.end(clientIpFrom(headers, TOKEN));
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () =>
      resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }),
    ),
  );
}

describe("client address over real HTTP", () => {
  let direct: { server: Server; url: string };
  let proxied: { server: Server; url: string };

  beforeAll(async () => {
    direct = await serverWith({ hops: 0 });
    proxied = await serverWith({ hops: 1 });
  });
  afterAll(() => {
    direct.server.close();
    proxied.server.close();
  });

  it("without a trusted proxy: the socket's address, whatever X-Forwarded-For or our own headers say", async () => {
    const forged = {
      "x-forwarded-for": "6.6.6.6",
      "x-real-ip": "7.7.7.7",
      [CLIENT_IP_HEADER]: "8.8.8.8",
      [EDGE_TOKEN_HEADER]: "guess",
    };
    expect(await (await fetch(direct.url, { headers: forged })).text()).toBe("127.0.0.1");
    expect(await (await fetch(direct.url)).text()).toBe("127.0.0.1");
  });

  it("behind one trusted proxy: the address it appended, not what the client wrote before it", async () => {
    expect(await (await fetch(proxied.url, { headers: { "x-forwarded-for": "6.6.6.6, 198.51.100.4" } })).text()).toBe(
      "198.51.100.4",
    );
    expect(
      await (
        await fetch(proxied.url, { headers: { "x-forwarded-for": "198.51.100.4", [CLIENT_IP_HEADER]: "8.8.8.8" } })
      ).text(),
    ).toBe("198.51.100.4");
  });
});
