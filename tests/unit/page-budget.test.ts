import { describe, expect, it } from "vitest";
import { isPageRequest } from "@/server/http/page-budget";

describe("isPageRequest (what the door counts as a page)", () => {
  it("counts pages, with or without a query, and Server Action posts to them", () => {
    for (const url of ["/", "/w/acme", "/w/acme/projects/WEB?view=list", "/signin", "/dev/mailbox", "/api-docs"])
      expect(isPageRequest(url), url).toBe(true);
  });

  it("counts what Next may rewrite into a page: dots in a segment, dot segments, absolute targets", () => {
    for (const url of [
      "/w/acme/projects/WEB.x",
      "/w/acme/tasks/WEB-1.json",
      "/_next/../w/acme/projects/WEB",
      "/api/../w/acme",
      "/api/trpc/../../w/acme",
      "/%2e%2e/w/acme",
      "http://a.b",
      "http://a.b/w/acme",
      "/_next/static/../../w/acme",
    ])
      expect(isPageRequest(url), url).toBe(true);
  });

  it("leaves the API (counted per call), Next's static assets, the public files and prefetches alone", () => {
    for (const url of [
      "/api/trpc/task.list",
      "/api/v1/workspaces/acme/tasks",
      "/api/auth/session",
      "/_next/static/chunks/app.js",
      "/_next/image?url=x",
      "/icon.svg",
      "/robots.txt",
      "/manifest.webmanifest",
      undefined,
    ])
      expect(isPageRequest(url), String(url)).toBe(false);
    expect(isPageRequest("/w/acme", { "next-router-prefetch": "1" })).toBe(false);
  });
});
