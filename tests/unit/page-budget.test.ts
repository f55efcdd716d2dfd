import { describe, expect, it } from "vitest";
import { isPageRequest } from "@/server/http/page-budget";

describe("isPageRequest (what the door counts as a page)", () => {
  it("counts pages, with or without a query, and Server Action posts to them", () => {
    for (const url of ["/", "/w/acme", "/w/acme/projects/WEB?view=list", "/signin", "/dev/mailbox", "/api-docs"])
      expect(isPageRequest(url), url).toBe(true);
  });

  it("leaves the API (counted per call), Next's own paths and files alone", () => {
    for (const url of [
      "/api",
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
  });
});
