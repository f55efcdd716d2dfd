/**
 * The request cache on real PostgreSQL (and real Redis when REDIS_URL is set): what every request
 * reads — session, membership and role, workspace, API key — is served from the cache, and a change
 * is seen on the very next request: through the service that made it, or, for a change made outside
 * Lanes (Prisma Studio, SQL), through PostgreSQL's notification to every listening process.
 */
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import { TRPCError } from "@trpc/server";
import { cacheKeys, useCacheStore } from "@/server/cache/cache";
import { listenForInvalidations, type InvalidationListener } from "@/server/cache/invalidation-listener";
import { membershipBySlug, sessionUser } from "@/server/cache/lookups";
import { MemoryCacheStore, RedisCacheStore, type CacheStore } from "@/server/cache/store";
import { createRedisClient } from "@/server/redis";
import { testDb } from "../setup/file-db";
import {
  addMember,
  callerFor,
  callerForKey,
  makeApiKey,
  makeProject,
  makeTask,
  makeUser,
  makeWorkspace,
} from "../helpers/factories";

const redisUrl = process.env.REDIS_URL;
const redisClients: Array<ReturnType<typeof createRedisClient>> = [];

function redisStore(url: string): RedisCacheStore {
  const client = createRedisClient(url, { commandTimeoutMs: 250, name: "cache-test" });
  redisClients.push(client);
  return new RedisCacheStore(client);
}

async function readyRedisStore(url: string): Promise<RedisCacheStore> {
  const store = redisStore(url);
  const client = redisClients.at(-1)!;
  if (client.status !== "ready") await new Promise((resolve) => client.once("ready", resolve));
  return store;
}

afterAll(() => {
  for (const client of redisClients) client.disconnect();
  useCacheStore(null);
});

/** Polls until `read` returns `expected` (a notification arrives asynchronously, within milliseconds). */
async function eventually<T>(read: () => Promise<T>, expected: T, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (JSON.stringify(value) === JSON.stringify(expected)) return;
    if (Date.now() > deadline) expect(value).toEqual(expected);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const stores: Array<[string, () => Promise<CacheStore>]> = [["memory", () => Promise.resolve(new MemoryCacheStore())]];
if (redisUrl) stores.push(["Redis", () => readyRedisStore(redisUrl)]);

describe.each(stores)("request cache (%s)", (_, makeStore) => {
  let store: CacheStore;
  let listener: InvalidationListener | null = null;

  beforeEach(async () => {
    store = await makeStore();
    useCacheStore(store);
  });

  afterEach(async () => {
    await listener?.stop();
    listener = null;
    useCacheStore(null);
  });

  async function listen(): Promise<void> {
    // This file's database (tests/setup/file-db.ts points DATABASE_URL at it).
    listener = listenForInvalidations(process.env.DATABASE_URL ?? "", store);
    await listener.ready;
  }

  it("serves a membership from the cache once read (a change no one announces is not seen)", async () => {
    const ws = await makeWorkspace();
    const admin = await addMember(ws, "ADMIN");
    expect((await membershipBySlug(testDb(), admin.id, ws.slug))?.role).toBe("ADMIN");
    // Changed without Lanes and with nobody listening: the cache still holds the role it read.
    await testDb().membership.updateMany({ where: { workspaceId: ws.id, userId: admin.id }, data: { role: "VIEWER" } });
    expect((await membershipBySlug(testDb(), admin.id, ws.slug))?.role).toBe("ADMIN");
    expect((await store.get([cacheKeys.membership(ws.slug, admin.id)]))[0]!.value).toContain("ADMIN");
  });

  it("a demotion through Lanes refuses the demoted member's very next call", async () => {
    const ws = await makeWorkspace();
    const admin = await addMember(ws, "ADMIN");
    const asAdmin = callerFor(admin);
    await asAdmin.project.create({ workspaceSlug: ws.slug, key: "CCH", name: "Cached" });
    const members = await callerFor(ws.owner).member.list({ workspaceSlug: ws.slug });
    const memberId = members.find((m) => m.user.id === admin.id)!.id;
    await callerFor(ws.owner).member.updateRole({ workspaceSlug: ws.slug, memberId, role: "MEMBER" });
    const refused = await asAdmin.project
      .create({ workspaceSlug: ws.slug, key: "NOPE", name: "No" })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(TRPCError);
    expect((refused as TRPCError).code).toBe("FORBIDDEN");

    await callerFor(ws.owner).member.remove({ workspaceSlug: ws.slug, memberId });
    const gone = await asAdmin.project.list({ workspaceSlug: ws.slug }).catch((e: unknown) => e);
    expect((gone as TRPCError).code).toBe("NOT_FOUND");
  });

  it("a revoked API key is refused on its next request", async () => {
    const ws = await makeWorkspace();
    const { key, secret } = await makeApiKey(ws, "read");
    await (await callerForKey(secret)).project.list({ workspaceSlug: ws.slug });
    await callerFor(ws.owner).apiKey.revoke({ workspaceSlug: ws.slug, id: key.id });
    await expect(callerForKey(secret)).rejects.toThrow(/revoked/);
  });

  it("a change made outside Lanes (Studio, SQL) ends the entry through PostgreSQL's notification", async () => {
    await listen();
    const ws = await makeWorkspace();
    const member = await addMember(ws, "MEMBER");
    expect((await membershipBySlug(testDb(), member.id, ws.slug))?.role).toBe("MEMBER");
    await testDb()
      .$executeRaw`UPDATE "Membership" SET role = 'VIEWER' WHERE "workspaceId" = ${ws.id} AND "userId" = ${member.id}`;
    await eventually(async () => (await membershipBySlug(testDb(), member.id, ws.slug))?.role, "VIEWER");
    await testDb().$executeRaw`DELETE FROM "Membership" WHERE "workspaceId" = ${ws.id} AND "userId" = ${member.id}`;
    await eventually(() => membershipBySlug(testDb(), member.id, ws.slug), null);

    await testDb().workspace.update({ where: { id: ws.id }, data: { name: "Renamed in Studio" } });
    await eventually(
      async () => (await membershipBySlug(testDb(), ws.owner.id, ws.slug))?.workspace.name,
      "Renamed in Studio",
    );
  });

  it("a deleted session (sign-out) stops being a signed-in user", async () => {
    await listen();
    const user = await makeUser("session");
    const sessionToken = randomBytes(32).toString("hex");
    await testDb().session.create({
      data: { sessionToken, userId: user.id, expires: new Date(Date.now() + 3_600_000) },
    });
    const now = new Date();
    expect(await sessionUser(testDb(), sessionToken, now)).toEqual({ userId: user.id });
    await testDb().session.delete({ where: { sessionToken } });
    await eventually(() => sessionUser(testDb(), sessionToken, new Date()), null);
  });

  it("board column totals: cached per project, fresh after every change, never another tenant's", async () => {
    await listen();
    const ws = await makeWorkspace();
    const project = await makeProject(ws);
    const owner = callerFor(ws.owner);
    const counts = () => owner.task.statusCounts({ workspaceSlug: ws.slug, projectId: project.id });
    const task = await makeTask(ws, project.id, { status: "TODO" });
    expect(await counts()).toMatchObject({ TODO: 1, DONE: 0 });
    expect((await store.get([cacheKeys.statusCounts(ws.id, project.id)]))[0]!.value).not.toBeNull();

    await owner.task.move({ workspaceSlug: ws.slug, taskId: task.id, status: "DONE" });
    expect(await counts()).toMatchObject({ TODO: 0, DONE: 1 });
    await owner.task.update({ workspaceSlug: ws.slug, taskId: task.id, version: 2, patch: { status: "IN_REVIEW" } });
    expect(await counts()).toMatchObject({ DONE: 0, IN_REVIEW: 1 });
    await makeTask(ws, project.id, { status: "TODO" });
    expect(await counts()).toMatchObject({ TODO: 1, IN_REVIEW: 1 });
    await owner.task.delete({ workspaceSlug: ws.slug, taskId: task.id });
    expect(await counts()).toMatchObject({ TODO: 1, IN_REVIEW: 0 });

    // Changed in SQL: the count triggers run, and so does the notification.
    await testDb()
      .$executeRaw`UPDATE "Task" SET status = 'CANCELED' WHERE "projectId" = ${project.id} AND "deletedAt" IS NULL`;
    await eventually(async () => (await counts()).CANCELED, 1);

    // Another workspace naming this project id gets its own (empty) answer, and leaves this one's entry alone.
    const other = await makeWorkspace();
    const theirs = await callerFor(other.owner).task.statusCounts({ workspaceSlug: other.slug, projectId: project.id });
    expect(Object.values(theirs).every((n) => n === 0)).toBe(true);
    expect((await store.get([cacheKeys.statusCounts(other.id, project.id)]))[0]!.value).toBeNull();
    expect(await counts()).toMatchObject({ TODO: 0, CANCELED: 1 });
  });

  it("a fill whose read began before an invalidation is dropped (the stale-read race); a later one is kept", async () => {
    const key = `test:${randomBytes(6).toString("hex")}`;
    const [before] = await store.get([key]);
    await store.invalidate([key]);
    await store.fill(key, "old", 60, before!.version);
    expect((await store.get([key]))[0]!.value).toBeNull();
    const [after] = await store.get([key]);
    await store.fill(key, "new", 60, after!.version);
    expect((await store.get([key]))[0]!.value).toBe("new");
  });

  it("a burst of invalidations (a purge notifies each deleted session) is sent in a few batches", async () => {
    const keys = Array.from({ length: 2_000 }, (_, i) => `burst:${randomBytes(4).toString("hex")}:${i}`);
    const before = await store.get(keys);
    await Promise.all(keys.map((key) => store.invalidate([key])));
    const after = await store.get(keys);
    // Each key moved on exactly once, whatever batch carried it.
    expect(after.map((entry) => entry.version)).toEqual(before.map((entry) => String(Number(entry.version) + 1)));
  });

  it("an expired session is not a signed-in user, cached or not", async () => {
    const user = await makeUser("expired");
    const sessionToken = randomBytes(32).toString("hex");
    await testDb().session.create({ data: { sessionToken, userId: user.id, expires: new Date(Date.now() + 2_000) } });
    expect(await sessionUser(testDb(), sessionToken, new Date())).toEqual({ userId: user.id });
    expect(await sessionUser(testDb(), sessionToken, new Date(Date.now() + 3_000))).toBeNull();
  });
});

describe("Redis down", () => {
  // A store that is not connected is skipped at once: a hang would show as this test's timeout.
  it("reads answer from PostgreSQL and changes still take effect", async () => {
    useCacheStore(redisStore("redis://127.0.0.1:1"));
    const ws = await makeWorkspace();
    const admin = await addMember(ws, "ADMIN");
    expect((await membershipBySlug(testDb(), admin.id, ws.slug))?.role).toBe("ADMIN");
    const members = await callerFor(ws.owner).member.list({ workspaceSlug: ws.slug });
    await callerFor(ws.owner).member.updateRole({
      workspaceSlug: ws.slug,
      memberId: members.find((m) => m.user.id === admin.id)!.id,
      role: "VIEWER",
    });
    expect((await membershipBySlug(testDb(), admin.id, ws.slug))?.role).toBe("VIEWER");
    useCacheStore(null);
  });
});
