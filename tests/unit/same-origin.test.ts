import { describe, expect, it } from "vitest";
import { crossSiteReason } from "@/server/trpc/same-origin";

const APP = "https://lanes.example.com";
const URL_ = "https://lanes.example.com/api/trpc/task.create";
const check = (headers: Record<string, string>, url = URL_) => crossSiteReason(new Headers(headers), url, APP);

describe("crossSiteReason", () => {
  it.each([
    ["our own page (Sec-Fetch-Site: same-origin)", { "sec-fetch-site": "same-origin", origin: APP }],
    ["a navigation typed by the user", { "sec-fetch-site": "none" }],
    ["an older browser sending only our Origin", { origin: APP }],
    ["a script or server (no browser headers)", {}],
    [
      "same-origin per the browser even if the host differs from APP_URL",
      { "sec-fetch-site": "same-origin", origin: "http://127.0.0.1:3000" },
    ],
  ])("lets through %s", (_, headers) => {
    expect(check(headers)).toBeNull();
  });

  it("accepts the Origin the request was addressed to (localhost vs 127.0.0.1 in development)", () => {
    expect(check({ origin: "http://127.0.0.1:3000" }, "http://127.0.0.1:3000/api/trpc/x")).toBeNull();
  });

  it.each([
    ["another site", { "sec-fetch-site": "cross-site", origin: "https://evil.example" }],
    ["a sibling subdomain", { "sec-fetch-site": "same-site", origin: "https://evil.lanes.example.com" }],
    ["an older browser with a foreign Origin", { origin: "https://evil.example" }],
    ["an opaque origin (sandboxed iframe, data: URL)", { origin: "null" }],
    ["a lookalike origin", { origin: "https://lanes.example.com.evil.example" }],
    ["another scheme", { origin: "http://lanes.example.com" }],
  ])("refuses %s", (_, headers) => {
    expect(check(headers)).toMatch(/Cross-site/);
  });
});
