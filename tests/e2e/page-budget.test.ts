/**
 * Pages and the rate limit, on the production server: a page request counts once against its
 * caller's budget, at the door (src/server/http/page-budget.ts) — not once per procedure its Server
 * Components call — and a spent budget is a readable 429 page with Retry-After, never Next's 500.
 */
import { randomBytes } from "node:crypto";
import { request } from "node:http";
import { describe, expect, inject, it } from "vitest";
import { RATE_POLICIES } from "@/server/ratelimit/limiter";
import { signIn, trpcMutation, trpcQuery, uniqueEmail } from "../helpers/http";

const baseUrl = () => inject("baseUrl");

/** A GET whose path is sent exactly as given; resolves with the status. */
function rawGet(path: string, headers: Record<string, string>): Promise<number> {
  const { hostname, port } = new URL(baseUrl());
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, path, headers }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("error", reject);
    req.end();
  });
}

async function remainingReads(cookie: string): Promise<number> {
  const res = await trpcQuery(baseUrl(), "workspace.list", undefined, cookie);
  expect(res.status).toBe(200);
  return Number(res.headers.get("ratelimit-remaining"));
}

describe("pages and the rate limit", () => {
  it("a board counts once, however many procedures its render calls", async () => {
    const cookie = await signIn(baseUrl(), uniqueEmail("board-budget"));
    const slug = `budget-${randomBytes(4).toString("hex")}`;
    expect((await trpcMutation(baseUrl(), "workspace.create", { name: "Budget", slug }, cookie)).status).toBe(200);
    const project = await trpcMutation<{ key: string }>(
      baseUrl(),
      "project.create",
      { workspaceSlug: slug, name: "Board", key: "BRD" },
      cookie,
    );
    expect(project.status).toBe(200);
    const before = await remainingReads(cookie);
    // Layout and board: live.position, workspace.get/list, system.me, project.list and .byKey,
    // four task.list columns and statusCounts — twelve calls, one page.
    const page = await fetch(`${baseUrl()}/w/${slug}/projects/BRD`, { headers: { cookie } });
    expect(page.status).toBe(200);
    await page.text();
    // This read and the page: two.
    const afterPage = await remainingReads(cookie);
    expect(before - afterPage).toBe(2);

    // A path Next rewrites into the same page: still counted (sent as written; fetch would normalize it).
    expect(await rawGet(`/api/../w/${slug}/projects/BRD`, { cookie })).toBe(200);
    const afterTrick = await remainingReads(cookie);
    expect(afterPage - afterTrick).toBe(2);
    // A forged "already counted" header changes nothing either.
    expect(await rawGet(`/w/${slug}/projects/BRD`, { cookie, "x-lanes-page-counted": "forged" })).toBe(200);
    expect(afterTrick - (await remainingReads(cookie))).toBe(2);
  });

  it("a spent budget is a 429 page with Retry-After, for pages and the API alike; others are unaffected", async () => {
    const cookie = await signIn(baseUrl(), uniqueEmail("page-flood"));
    const other = await signIn(baseUrl(), uniqueEmail("page-bystander"));
    const limit = RATE_POLICIES.read.requests;
    const statuses: number[] = [];
    // A page Next answers cheaply (its 404); the budget is what is under test.
    for (let sent = 0; sent < limit + 20; sent += 20) {
      const batch = await Promise.all(
        Array.from({ length: 20 }, () =>
          fetch(`${baseUrl()}/no-such-page`, { headers: { cookie } }).then(
            async (res) => (await res.text(), res.status),
          ),
        ),
      );
      statuses.push(...batch);
    }
    const served = statuses.filter((s) => s === 404).length;
    expect(statuses.filter((s) => s !== 404 && s !== 429)).toEqual([]);
    expect(served).toBeLessThanOrEqual(limit);
    expect(served).toBeGreaterThan(limit - 40);

    const refused = await fetch(`${baseUrl()}/`, { headers: { cookie } });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(refused.headers.get("content-type")).toMatch(/^text\/html/);
    expect(await refused.text()).toMatch(/Too many requests/);
    // The same budget as the API's reads.
    expect((await trpcQuery(baseUrl(), "workspace.list", undefined, cookie)).status).toBe(429);
    // Someone else is not slowed down.
    expect((await fetch(`${baseUrl()}/no-such-page`, { headers: { cookie: other } })).status).toBe(404);
  });
});
