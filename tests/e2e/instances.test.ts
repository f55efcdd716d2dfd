/**
 * Several instances of one deployment: the browser tests' production server and a second one on the
 * same database and the same Redis, as two replicas behind a load balancer. What one instance changes,
 * the other enforces on the very next request; a rate limit is one budget across both.
 * (No browser here: plain HTTP, as any client of a load-balanced deployment.)
 */
import path from "node:path";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/routers/_app";
import { createDb, type Db } from "@/server/db/client";
import { startAppServer, type AppServer } from "../setup/app-server";
import { signIn, trpcMutation, trpcQuery, uniqueEmail, type TrpcResponse } from "../helpers/http";

type Outputs = inferRouterOutputs<AppRouter>;

const redisUrl = process.env.REDIS_URL;
let a = "";
let second: AppServer | null = null;
let b = "";
let db: Db | null = null;

function data<T>(res: TrpcResponse<T>): T {
  if (!res.ok) throw new Error(`expected data, got HTTP ${res.status}: ${res.text}`);
  return res.data;
}

// Instances share limits and cache through Redis; without it each counts alone (docs/api.md).
describe.runIf(redisUrl)("two instances, one database, one Redis", () => {
  beforeAll(async () => {
    a = inject("baseUrl");
    second = await startAppServer({
      mode: "start",
      distDir: ".next",
      logFile: path.resolve(import.meta.dirname, "artifacts", "instance-b.log"),
      label: "second instance",
      databaseUrl: inject("databaseUrl"),
      extraEnv: { NODE_ENV: "production", MAIL_TRANSPORT: "mailbox" },
    });
    b = second.baseUrl;
    db = createDb(inject("databaseUrl"), 2);
  }, 180_000);

  afterAll(async () => {
    await second?.stop();
    await db?.$disconnect();
  });

  async function workspaceWith(role: "ADMIN" | "MEMBER") {
    const owner = await signIn(a, uniqueEmail("owner"));
    const personEmail = uniqueEmail("person");
    const person = await signIn(b, personEmail);
    const slug = `inst-${randomBytes(3).toString("hex")}`;
    const workspace = data(
      await trpcMutation<Outputs["workspace"]["create"]>(a, "workspace.create", { name: "Instances", slug }, owner),
    );
    const user = await db!.user.findUniqueOrThrow({ where: { email: personEmail }, select: { id: true } });
    const membership = await db!.membership.create({
      data: { workspaceId: workspace.id, userId: user.id, role },
      select: { id: true },
    });
    return { owner, person, slug, memberId: membership.id };
  }

  it("a demotion on one instance refuses the member's next request on the other; so does a removal", async () => {
    const { owner, person, slug, memberId } = await workspaceWith("ADMIN");
    data(await trpcMutation(b, "project.create", { workspaceSlug: slug, key: "ONE", name: "Allowed" }, person));
    data(await trpcQuery(b, "project.list", { workspaceSlug: slug }, person)); // cached on B's side now

    data(await trpcMutation(a, "member.updateRole", { workspaceSlug: slug, memberId, role: "VIEWER" }, owner));
    const refused = await trpcMutation(b, "project.create", { workspaceSlug: slug, key: "TWO", name: "No" }, person);
    expect(refused.status).toBe(403);

    data(await trpcMutation(a, "member.remove", { workspaceSlug: slug, memberId }, owner));
    expect((await trpcQuery(b, "project.list", { workspaceSlug: slug }, person)).status).toBe(404);
  });

  it("a key revoked on one instance is refused on the other", async () => {
    const { owner, slug } = await workspaceWith("MEMBER");
    const { key, secret } = data(
      await trpcMutation<Outputs["apiKey"]["create"]>(
        a,
        "apiKey.create",
        { workspaceSlug: slug, name: "k", scope: "read" },
        owner,
      ),
    );
    const get = () =>
      fetch(`${b}/api/v1/workspaces/${slug}/projects`, { headers: { authorization: `Bearer ${secret}` } });
    expect((await get()).status).toBe(200);
    data(await trpcMutation(a, "apiKey.revoke", { workspaceSlug: slug, id: key.id }, owner));
    const revoked = await get();
    expect(revoked.status).toBe(401);
    expect(((await revoked.json()) as { message: string }).message).toContain("revoked");
  });

  it("a key's budget is one budget across both instances: the call past it is 429 with the headers", async () => {
    const budget = 100;
    const { owner, slug } = await workspaceWith("MEMBER");
    const { secret } = data(
      await trpcMutation<Outputs["apiKey"]["create"]>(
        a,
        "apiKey.create",
        { workspaceSlug: slug, name: "budget", scope: "read", rateLimitPerMinute: budget },
        owner,
      ),
    );
    // The sliding window weighs in the previous minute: start well inside a minute so the burst sees one.
    while (new Date().getSeconds() > 40) await new Promise((resolve) => setTimeout(resolve, 1_000));

    const statuses: number[] = [];
    let refusal: Response | null = null;
    const calls = Array.from({ length: 160 }, (_, i) => (i % 2 === 0 ? a : b));
    for (let start = 0; start < calls.length; start += 10) {
      const answers = await Promise.all(
        calls
          .slice(start, start + 10)
          .map((base) =>
            fetch(`${base}/api/v1/workspaces/${slug}/projects`, { headers: { authorization: `Bearer ${secret}` } }),
          ),
      );
      for (const answer of answers) {
        statuses.push(answer.status);
        if (answer.status === 429) refusal ??= answer;
        await answer.arrayBuffer();
      }
    }
    const allowed = statuses.filter((s) => s === 200).length;
    expect(
      statuses.every((s) => s === 200 || s === 429),
      statuses.join(","),
    ).toBe(true);
    // Within 5% of the budget although the calls were spread over two processes.
    expect(allowed).toBeGreaterThanOrEqual(budget * 0.95);
    expect(allowed).toBeLessThanOrEqual(budget * 1.05);
    expect(refusal).not.toBeNull();
    expect(Number(refusal!.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(refusal!.headers.get("ratelimit-remaining")).toBe("0");
    expect(refusal!.headers.get("ratelimit-limit")).toBe(String(budget));
  });
});
