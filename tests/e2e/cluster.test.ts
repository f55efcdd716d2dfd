/**
 * Three production instances behind a round-robin proxy (tests/setup/cluster.ts), on one database
 * and one Redis: sessions work on any instance, a rate limit is one budget within 5 %, a permission
 * change on one instance is enforced by the others on the next request, and a rolling restart of
 * every instance under load loses no request (the client retries once) and no write.
 * (No browser here: plain HTTP.)
 */
import path from "node:path";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createDb, type Db } from "@/server/db/client";
import { startCluster, type Cluster } from "../setup/cluster";
import { signIn, trpcMutation, trpcQuery, uniqueEmail, type TrpcResponse } from "../helpers/http";
import { startLoad } from "../helpers/load";
import { MAX_KEY_RATE_LIMIT } from "@/shared/schemas/api-key";

let cluster: Cluster | null = null;
let db: Db | null = null;

function data<T>(res: TrpcResponse<T>): T {
  if (!res.ok) throw new Error(`expected data, got HTTP ${res.status}: ${res.text}`);
  return res.data;
}

describe.runIf(process.env.REDIS_URL)("three instances behind a load balancer", () => {
  beforeAll(async () => {
    cluster = await startCluster({
      size: 3,
      databaseUrl: inject("databaseUrl"),
      logDir: path.resolve(import.meta.dirname, "artifacts"),
    });
    db = createDb(inject("databaseUrl"), 2);
  }, 240_000);

  afterAll(async () => {
    await cluster?.stop();
    await db?.$disconnect();
  });

  async function workspace() {
    const owner = await signIn(cluster!.url, uniqueEmail("cluster"));
    const slug = `clu-${randomBytes(3).toString("hex")}`;
    data(await trpcMutation(cluster!.url, "workspace.create", { name: "Cluster", slug }, owner));
    return { owner, slug };
  }

  it("a session made on one instance works on every instance", async () => {
    const { owner, slug } = await workspace();
    const before = [...cluster!.served];
    for (let i = 0; i < 30; i++) data(await trpcQuery(cluster!.url, "project.list", { workspaceSlug: slug }, owner));
    cluster!.served.forEach((count, i) => expect(count - before[i]!, `instance ${i}`).toBeGreaterThanOrEqual(9));
  });

  it("a key's rate limit is one budget across the three, within 5 %", async () => {
    const { owner, slug } = await workspace();
    const budget = 90;
    const { secret } = data(
      await trpcMutation<{ secret: string }>(
        cluster!.url,
        "apiKey.create",
        { workspaceSlug: slug, name: "budget", scope: "read", rateLimitPerMinute: budget },
        owner,
      ),
    );
    // The sliding window weighs in the previous minute: start well inside a minute.
    while (new Date().getSeconds() > 40) await new Promise((resolve) => setTimeout(resolve, 1_000));
    const statuses: number[] = [];
    for (let round = 0; round < 15; round++) {
      const answers = await Promise.all(
        Array.from({ length: 9 }, () =>
          fetch(`${cluster!.url}/api/v1/workspaces/${slug}/projects`, {
            headers: { authorization: `Bearer ${secret}` },
          }),
        ),
      );
      for (const answer of answers) {
        statuses.push(answer.status);
        await answer.arrayBuffer();
      }
    }
    expect(
      statuses.every((s) => s === 200 || s === 429),
      statuses.join(","),
    ).toBe(true);
    const allowed = statuses.filter((s) => s === 200).length;
    expect(allowed).toBeGreaterThanOrEqual(budget * 0.95);
    expect(allowed).toBeLessThanOrEqual(budget * 1.05);
  });

  it("a role change made through one instance is enforced by the other two on the next request", async () => {
    const { owner, slug } = await workspace();
    const email = uniqueEmail("member");
    const person = await signIn(cluster!.url, email);
    const ws = await db!.workspace.findUniqueOrThrow({ where: { slug }, select: { id: true } });
    const user = await db!.user.findUniqueOrThrow({ where: { email }, select: { id: true } });
    const { id: memberId } = await db!.membership.create({
      data: { workspaceId: ws.id, userId: user.id, role: "ADMIN" },
      select: { id: true },
    });
    const [first, ...others] = cluster!.instances.map((instance) => instance.baseUrl);
    // Cached as an admin on every instance.
    for (const base of others) data(await trpcQuery(base, "project.list", { workspaceSlug: slug }, person));
    data(await trpcMutation(first!, "member.updateRole", { workspaceSlug: slug, memberId, role: "VIEWER" }, owner));
    for (const base of others) {
      const refused = await trpcMutation(
        base,
        "project.create",
        { workspaceSlug: slug, key: `V${randomBytes(2).toString("hex").toUpperCase()}`, name: "No" },
        person,
      );
      expect(refused.status, base).toBe(403);
    }
  });

  it("a rolling restart under load loses no request (one client retry) and no write", async () => {
    const { owner, slug } = await workspace();
    const project = data(
      await trpcMutation<{ id: string }>(
        cluster!.url,
        "project.create",
        { workspaceSlug: slug, key: "ROLL", name: "Roll" },
        owner,
      ),
    );
    // Limits stay on in the cluster: the load runs as an API key with the largest budget a key may have.
    const { secret } = data(
      await trpcMutation<{ secret: string }>(
        cluster!.url,
        "apiKey.create",
        { workspaceSlug: slug, name: "load", scope: "write", rateLimitPerMinute: MAX_KEY_RATE_LIMIT },
        owner,
      ),
    );
    const load = startLoad({
      targets: () => [cluster!.url],
      workers: 6,
      auth: { headers: { authorization: `Bearer ${secret}` } },
      slug,
      projectId: project.id,
    });
    const drains: number[] = [];
    for (let i = 0; i < cluster!.instances.length; i++) {
      await new Promise((r) => setTimeout(r, 1_000));
      drains.push((await cluster!.restart(i)).drainMs);
    }
    await new Promise((r) => setTimeout(r, 1_000));
    const { sent, retried, failures, written } = await load.stop();
    expect(failures, `${failures.length} of ${sent} requests failed after a retry (${retried} retried)`).toEqual([]);
    const rows = await db!.task.findMany({ where: { projectId: project.id }, select: { id: true } });
    expect(new Set(rows.map((r) => r.id))).toEqual(written);
    expect(written.size).toBeGreaterThan(10);
    console.info(`[cluster] rolling restart: ${sent} requests, ${retried} retried, drains ${drains.join("/")} ms`);
  }, 240_000);
});
