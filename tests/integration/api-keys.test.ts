/**
 * API keys: managing them (owners and admins, in person) and what a key may do
 * (its workspace only, its scopes capped by its creator's current role).
 */
import { describe, expect, it } from "vitest";
import { createHash } from "node:crypto";
import { testDb } from "../setup/file-db";
import {
  addMember,
  callerFor,
  callerForKey,
  makeApiKey,
  makeProject,
  makeTask,
  makeWorkspace,
} from "../helpers/factories";
import { expectApiError } from "../helpers/errors";
import { authenticateApiKey, MAX_ACTIVE_KEYS } from "@/server/services/api-keys";
import { AppError } from "@/server/errors";

async function authError(secret: string): Promise<AppError> {
  const error = await authenticateApiKey(testDb(), secret).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe("apiKey.create / list / revoke", () => {
  it("shows the secret once, stores only its hash, and lists the key without it", async () => {
    const ws = await makeWorkspace();
    const created = await makeApiKey(ws, "write", { name: "CI deploys", expiresInDays: 30 });
    expect(created.secret).toMatch(/^lanes_[A-Za-z0-9]{8}_[A-Za-z0-9_-]{43}$/);
    expect(created.secret.startsWith(`${created.key.prefix}_`)).toBe(true);
    expect(created.key).toMatchObject({ name: "CI deploys", scopes: ["read", "write"], status: "active" });
    expect(created.key.expiresAt!.getTime() - Date.now()).toBeGreaterThan(29 * 86_400_000);

    const row = await testDb().apiKey.findUniqueOrThrow({ where: { id: created.key.id } });
    expect(row.secretHash).toBe(createHash("sha256").update(created.secret).digest("hex"));
    expect(JSON.stringify(row)).not.toContain(created.secret.slice(15));

    const list = await callerFor(ws.owner).apiKey.list({ workspaceSlug: ws.slug });
    expect(list.map((k) => k.id)).toEqual([created.key.id]);
    expect(list[0]).toMatchObject({ prefix: created.key.prefix, createdBy: { id: ws.owner.id }, lastUsedAt: null });
    expect(JSON.stringify(list)).not.toContain(created.secret);
  });

  it("records creation and revocation in the activity trail", async () => {
    const ws = await makeWorkspace();
    const { key } = await makeApiKey(ws, "read", { name: "Reporting" });
    await callerFor(ws.owner).apiKey.revoke({ workspaceSlug: ws.slug, id: key.id });
    const feed = await callerFor(ws.owner).activity.feed({ workspaceSlug: ws.slug });
    const actions = feed.items.map((e) => e.action);
    expect(actions.slice(0, 2)).toEqual(["api_key.revoked", "api_key.created"]);
    const createdEvent = feed.items.find((e) => e.action === "api_key.created");
    expect(createdEvent).toMatchObject({ after: { name: "Reporting", prefix: key.prefix, scopes: ["read"] } });
  });

  it("rejects bad input with field errors", async () => {
    const ws = await makeWorkspace();
    const owner = callerFor(ws.owner);
    const e1 = await expectApiError(
      owner.apiKey.create({ workspaceSlug: ws.slug, name: "  ", scope: "read" }),
      "BAD_REQUEST",
    );
    expect(e1.data.fieldErrors?.name).toBeDefined();
    const e2 = await expectApiError(
      owner.apiKey.create({ workspaceSlug: ws.slug, name: "x", scope: "root" as "read" }),
      "BAD_REQUEST",
    );
    expect(e2.data.fieldErrors?.scope).toBeDefined();
    const e3 = await expectApiError(
      owner.apiKey.create({ workspaceSlug: ws.slug, name: "x", scope: "read", expiresInDays: 0 }),
      "BAD_REQUEST",
    );
    expect(e3.data.fieldErrors?.expiresInDays).toBeDefined();
    const e4 = await expectApiError(
      owner.apiKey.create({ workspaceSlug: ws.slug, name: "x", scope: "read", rateLimitPerMinute: 1e9 }),
      "BAD_REQUEST",
    );
    expect(e4.data.fieldErrors?.rateLimitPerMinute).toBeDefined();
  });

  it("is for owners and admins: members and viewers are refused, other tenants see nothing", async () => {
    const ws = await makeWorkspace();
    const admin = await addMember(ws, "ADMIN");
    const member = await addMember(ws, "MEMBER");
    const viewer = await addMember(ws, "VIEWER");
    const { key } = await makeApiKey(ws, "admin", { as: admin });
    expect(key.scopes).toEqual(["read", "write", "admin"]);
    for (const user of [member, viewer]) {
      await expectApiError(callerFor(user).apiKey.list({ workspaceSlug: ws.slug }), "FORBIDDEN");
      await expectApiError(makeApiKey(ws, "read", { as: user }), "FORBIDDEN");
      await expectApiError(callerFor(user).apiKey.revoke({ workspaceSlug: ws.slug, id: key.id }), "FORBIDDEN");
    }
    const other = await makeWorkspace();
    await expectApiError(callerFor(other.owner).apiKey.list({ workspaceSlug: ws.slug }), "NOT_FOUND");
    // Another workspace's key id, revoked from one's own workspace: not found.
    await expectApiError(callerFor(other.owner).apiKey.revoke({ workspaceSlug: other.slug, id: key.id }), "NOT_FOUND");
    expect((await testDb().apiKey.findUniqueOrThrow({ where: { id: key.id } })).revokedAt).toBeNull();
  });

  it("caps active keys per workspace", async () => {
    const ws = await makeWorkspace();
    await testDb().apiKey.createMany({
      data: Array.from({ length: MAX_ACTIVE_KEYS }, (_, i) => ({
        workspaceId: ws.id,
        name: `bulk ${i}`,
        prefix: `lanes_b${ws.id.slice(-4)}${String(i).padStart(3, "0")}`,
        secretHash: `bulk-${ws.id}-${i}`,
        scopes: ["read"],
        createdById: ws.owner.id,
      })),
    });
    await expectApiError(makeApiKey(ws, "read"), "PRECONDITION_FAILED");
  });
});

describe("calling with a key", () => {
  it("reads with a read key, and a write is FORBIDDEN naming the scope", async () => {
    const ws = await makeWorkspace();
    const project = await makeProject(ws);
    await makeTask(ws, project.id, { title: "Visible to the key" });
    const { secret } = await makeApiKey(ws, "read");
    const lanes = await callerForKey(secret);
    const page = await lanes.task.list({ workspaceSlug: ws.slug, filter: { projectId: project.id } });
    expect(page.items.map((t) => t.title)).toEqual(["Visible to the key"]);
    const error = await expectApiError(
      lanes.task.create({ workspaceSlug: ws.slug, projectId: project.id, title: "nope" }),
      "FORBIDDEN",
    );
    expect(error.message).toContain("scope (read)");
  });

  it("writes with a write key, attributed to the key and its creator", async () => {
    const ws = await makeWorkspace();
    const project = await makeProject(ws);
    const { key, secret } = await makeApiKey(ws, "write", { name: "Importer" });
    const task = await (
      await callerForKey(secret)
    ).task.create({
      workspaceSlug: ws.slug,
      projectId: project.id,
      title: "Imported",
    });
    expect(task.creator.id).toBe(ws.owner.id);
    const history = await callerFor(ws.owner).activity.forTask({ workspaceSlug: ws.slug, taskId: task.id });
    expect(history.items.find((e) => e.action === "task.created")).toMatchObject({
      action: "task.created",
      actor: { id: ws.owner.id },
      apiKey: { id: key.id, name: "Importer", prefix: key.prefix },
    });
    // Changes made in person carry no key.
    await callerFor(ws.owner).task.update({
      workspaceSlug: ws.slug,
      taskId: task.id,
      version: task.version,
      patch: { title: "Renamed" },
    });
    const after = await callerFor(ws.owner).activity.forTask({ workspaceSlug: ws.slug, taskId: task.id });
    expect(after.items.find((e) => e.action === "task.updated")).toMatchObject({ apiKey: null });
  });

  it("acts only in its own workspace: another one is NOT_FOUND, as for a non-member", async () => {
    const a = await makeWorkspace();
    const b = await makeWorkspace(a.owner); // the same person owns both
    const { secret } = await makeApiKey(a, "admin");
    const lanes = await callerForKey(secret);
    await expectApiError(lanes.project.list({ workspaceSlug: b.slug }), "NOT_FOUND");
    await expectApiError(lanes.workspace.get({ workspaceSlug: b.slug }), "NOT_FOUND");
    expect((await lanes.workspace.get({ workspaceSlug: a.slug })).id).toBe(a.id);
  });

  it("never does what only a person does: leave, manage keys, or anything outside a workspace", async () => {
    const ws = await makeWorkspace();
    const { secret } = await makeApiKey(ws, "admin");
    const lanes = await callerForKey(secret);
    await expectApiError(lanes.member.leave({ workspaceSlug: ws.slug }), "FORBIDDEN");
    await expectApiError(lanes.apiKey.list({ workspaceSlug: ws.slug }), "FORBIDDEN");
    await expectApiError(lanes.apiKey.create({ workspaceSlug: ws.slug, name: "child", scope: "read" }), "FORBIDDEN");
    await expectApiError(lanes.workspace.list(), "FORBIDDEN");
    await expectApiError(lanes.workspace.create({ name: "Spawned", slug: `spawn-${ws.slug}` }), "FORBIDDEN");
    await expectApiError(lanes.notification.list({ workspaceSlug: ws.slug }), "FORBIDDEN");
    expect(await testDb().apiKey.count({ where: { workspaceId: ws.id } })).toBe(1);
  });

  it("is capped by its creator's current role: demoted, it loses power; removed, it stops working", async () => {
    const ws = await makeWorkspace();
    const project = await makeProject(ws);
    const admin = await addMember(ws, "ADMIN");
    const { secret } = await makeApiKey(ws, "admin", { as: admin });
    const lanes = await callerForKey(secret);
    await lanes.project.update({ workspaceSlug: ws.slug, projectId: project.id, name: "Renamed by key" });

    const membership = await testDb().membership.findUniqueOrThrow({
      where: { workspaceId_userId: { workspaceId: ws.id, userId: admin.id } },
    });
    await callerFor(ws.owner).member.updateRole({ workspaceSlug: ws.slug, memberId: membership.id, role: "VIEWER" });
    await expectApiError(
      lanes.project.update({ workspaceSlug: ws.slug, projectId: project.id, name: "Again" }),
      "FORBIDDEN",
    );
    await expectApiError(lanes.task.create({ workspaceSlug: ws.slug, projectId: project.id, title: "x" }), "FORBIDDEN");
    expect((await lanes.project.list({ workspaceSlug: ws.slug })).length).toBe(1);

    await callerFor(ws.owner).member.remove({ workspaceSlug: ws.slug, memberId: membership.id });
    const error = await expectApiError(lanes.project.list({ workspaceSlug: ws.slug }), "UNAUTHORIZED");
    expect(error.message).toContain("no longer a member");
    // The managers' list says so too, instead of calling it active.
    const [listed] = await callerFor(ws.owner).apiKey.list({ workspaceSlug: ws.slug });
    expect(listed?.status).toBe("creator_left");
  });

  it("answers UNAUTHORIZED, saying why, for malformed, unknown, revoked and expired keys", async () => {
    const ws = await makeWorkspace();
    expect((await authError("hunter2")).message).toContain("not a Lanes API key");
    expect((await authError(`lanes_AAAAAAAA_${"x".repeat(43)}`)).message).toContain("Unknown API key");

    const revoked = await makeApiKey(ws, "read");
    await callerFor(ws.owner).apiKey.revoke({ workspaceSlug: ws.slug, id: revoked.key.id });
    const again = await callerFor(ws.owner).apiKey.revoke({ workspaceSlug: ws.slug, id: revoked.key.id });
    expect(again.status).toBe("revoked");
    const revokedError = await authError(revoked.secret);
    expect(revokedError.code).toBe("UNAUTHORIZED");
    expect(revokedError.message).toContain("revoked");

    const expiring = await makeApiKey(ws, "read", { expiresInDays: 1 });
    await testDb().apiKey.update({ where: { id: expiring.key.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await authError(expiring.secret)).message).toContain("expired");
    const list = await callerFor(ws.owner).apiKey.list({ workspaceSlug: ws.slug });
    expect(Object.fromEntries(list.map((k) => [k.id, k.status]))).toEqual({
      [revoked.key.id]: "revoked",
      [expiring.key.id]: "expired",
    });
  });

  it("records last use without a write per request", async () => {
    const ws = await makeWorkspace();
    const { key, secret } = await makeApiKey(ws, "read");
    for (let i = 0; i < 5; i++) await (await callerForKey(secret)).project.list({ workspaceSlug: ws.slug });
    await expect
      .poll(async () => (await testDb().apiKey.findUniqueOrThrow({ where: { id: key.id } })).lastUsedAt)
      .not.toBeNull();
    const first = (await testDb().apiKey.findUniqueOrThrow({ where: { id: key.id } })).lastUsedAt!;
    await (await callerForKey(secret)).project.list({ workspaceSlug: ws.slug });
    await new Promise((r) => setTimeout(r, 200));
    // Within the interval, further use is not written.
    expect((await testDb().apiKey.findUniqueOrThrow({ where: { id: key.id } })).lastUsedAt).toEqual(first);
  });
});
