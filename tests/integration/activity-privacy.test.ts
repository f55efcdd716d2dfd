/**
 * The audit trail shows each reader only what their role may see: no comment
 * text once deleted (and never a stored copy), no descriptions, invitee emails
 * only for roles that read invitations, deleted tasks flagged as deleted. Old
 * events stored before these rules are redacted on read and scrubbed by the migration.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { testDb } from "../setup/file-db";
import { recordActivity } from "@/server/db/activity";
import {
  addMember,
  callerFor,
  makeProject,
  makeTask,
  makeWorkspace,
  uid,
  type TestUser,
  type TestWorkspace,
} from "../helpers/factories";
import type { ActivityDto } from "@/shared/schemas/activity";

const SECRET_COMMENT = "the staging password is hunter2";
const SECRET_DESCRIPTION = "Customer list: ACME Corp, Globex, Initech";

async function setup() {
  const ws = await makeWorkspace();
  const admin = await addMember(ws, "ADMIN");
  const member = await addMember(ws, "MEMBER");
  const viewer = await addMember(ws, "VIEWER");
  const project = await makeProject(ws, "PRV");
  return { ws, admin, member, viewer, project };
}

async function feedOf(ws: TestWorkspace, user: TestUser): Promise<ActivityDto[]> {
  const page = await callerFor(user).activity.feed({ workspaceSlug: ws.slug, limit: 100 });
  expect(page.nextCursor).toBeNull();
  return page.items;
}

async function historyOf(ws: TestWorkspace, user: TestUser, taskId: string): Promise<ActivityDto[]> {
  return (await callerFor(user).activity.forTask({ workspaceSlug: ws.slug, taskId, limit: 100 })).items;
}

function only<A extends ActivityDto["action"]>(
  events: ActivityDto[],
  action: A,
): Array<Extract<ActivityDto, { action: A }>> {
  return events.filter((e): e is Extract<ActivityDto, { action: A }> => e.action === action);
}

describe("what the trail stores", () => {
  it("keeps no comment text, no description text and no removed member's email in the database", async () => {
    const { ws, admin, member, project } = await setup();
    const task = await callerFor(member).task.create({
      workspaceSlug: ws.slug,
      projectId: project.id,
      title: "Stored",
      description: SECRET_DESCRIPTION,
    });
    await callerFor(member).task.update({
      workspaceSlug: ws.slug,
      taskId: task.id,
      version: 1,
      patch: { description: `${SECRET_DESCRIPTION}, Umbrella` },
    });
    const comment = await callerFor(member).comment.create({
      workspaceSlug: ws.slug,
      taskId: task.id,
      body: SECRET_COMMENT,
    });
    await callerFor(member).comment.update({
      workspaceSlug: ws.slug,
      commentId: comment.id,
      body: `${SECRET_COMMENT}!`,
    });
    await callerFor(member).comment.delete({ workspaceSlug: ws.slug, commentId: comment.id });
    await callerFor(ws.owner).project.update({
      workspaceSlug: ws.slug,
      projectId: project.id,
      description: SECRET_DESCRIPTION,
    });
    const leaving = await addMember(ws, "MEMBER");
    const membership = await testDb().membership.findFirstOrThrow({
      where: { workspaceId: ws.id, userId: leaving.id },
      select: { id: true },
    });
    await callerFor(admin).member.remove({ workspaceSlug: ws.slug, memberId: membership.id });

    const stored = await testDb().activityEvent.findMany({
      where: { workspaceId: ws.id },
      select: { action: true, before: true, after: true },
    });
    const text = JSON.stringify(stored);
    for (const secret of ["hunter2", "Customer list", leaving.email]) expect(text).not.toContain(secret);
    expect(stored.find((e) => e.action === "task.updated")).toMatchObject({
      before: { description: { length: 41 } },
      after: { description: { length: 51 } },
    });
  });
});

describe("what each role reads", () => {
  it("never shows a viewer a deleted comment's text, a description or an invitee's email", async () => {
    const { ws, admin, member, viewer, project } = await setup();
    const task = await callerFor(member).task.create({
      workspaceSlug: ws.slug,
      projectId: project.id,
      title: "Readable",
      description: SECRET_DESCRIPTION,
    });
    await callerFor(member).task.update({
      workspaceSlug: ws.slug,
      taskId: task.id,
      version: 1,
      patch: { description: "Nothing to see" },
    });
    const comment = await callerFor(member).comment.create({
      workspaceSlug: ws.slug,
      taskId: task.id,
      body: SECRET_COMMENT,
    });
    await callerFor(member).comment.update({
      workspaceSlug: ws.slug,
      commentId: comment.id,
      body: `${SECRET_COMMENT}, really`,
    });
    await callerFor(member).comment.delete({ workspaceSlug: ws.slug, commentId: comment.id });
    const invitee = `invitee-${uid()}@example.test`;
    await callerFor(admin).invitation.create({ workspaceSlug: ws.slug, email: invitee, role: "MEMBER" });

    const feed = await feedOf(ws, viewer);
    const history = await historyOf(ws, viewer, task.id);
    for (const events of [feed, history]) {
      const text = JSON.stringify(events);
      for (const secret of ["hunter2", "Customer list", "Nothing to see", invitee]) expect(text).not.toContain(secret);
    }
    // Every comment event shows the comment as deleted, without text.
    const commentEvents = feed.filter((e) => e.entityType === "comment");
    expect(commentEvents.map((e) => e.action)).toEqual(["comment.deleted", "comment.edited", "comment.created"]);
    for (const e of commentEvents)
      expect("comment" in e && e.comment).toEqual({ id: comment.id, excerpt: null, deleted: true });
    // The description change is there, as lengths.
    expect(only(history, "task.updated")[0]).toMatchObject({
      before: { description: { length: 41 } },
      after: { description: { length: 14 } },
    });
    // The invitation is there, without the address.
    expect(only(feed, "invitation.created")[0]?.after).toEqual({ email: null, role: "MEMBER" });
    // Members cannot read invitations either.
    expect(only(await feedOf(ws, member), "invitation.created")[0]?.after).toEqual({ email: null, role: "MEMBER" });
  });

  it("shows invitee emails to owners and admins", async () => {
    const { ws, admin } = await setup();
    const invitee = `invitee-${uid()}@example.test`;
    await callerFor(admin).invitation.create({ workspaceSlug: ws.slug, email: invitee, role: "VIEWER" });
    for (const reader of [admin, ws.owner]) {
      expect(only(await feedOf(ws, reader), "invitation.created")[0]?.after).toEqual({
        email: invitee,
        role: "VIEWER",
      });
    }
  });

  it("shows a live comment's current text on all of its events, shortened", async () => {
    const { ws, member, viewer, project } = await setup();
    const task = await makeTask(ws, project.id, { title: "Discussed" });
    const comment = await callerFor(member).comment.create({
      workspaceSlug: ws.slug,
      taskId: task.id,
      body: "first draft",
    });
    await callerFor(member).comment.update({ workspaceSlug: ws.slug, commentId: comment.id, body: "final words" });
    const history = await historyOf(ws, viewer, task.id);
    const excerpts = history.flatMap((e) => ("comment" in e ? [e.comment] : []));
    expect(excerpts).toEqual([
      { id: comment.id, excerpt: "final words", deleted: false },
      { id: comment.id, excerpt: "final words", deleted: false },
    ]);
    expect(JSON.stringify(history)).not.toContain("first draft");

    const long = await callerFor(member).comment.create({
      workspaceSlug: ws.slug,
      taskId: task.id,
      body: "x".repeat(5000),
    });
    const event = only(await historyOf(ws, viewer, task.id), "comment.created").find((e) => e.comment.id === long.id);
    expect(Array.from(event?.comment.excerpt ?? "")).toHaveLength(200);
    expect(event?.comment.excerpt?.endsWith("…")).toBe(true);
  });

  it("flags a deleted task; its title is shown to roles that may delete tasks, not to viewers", async () => {
    const { ws, admin, member, viewer, project } = await setup();
    const task = await makeTask(ws, project.id, { title: "Doomed plan" }, member);
    await callerFor(member).task.update({
      workspaceSlug: ws.slug,
      taskId: task.id,
      version: 1,
      patch: { title: "Doomed plan v2" },
    });
    const comment = await callerFor(member).comment.create({
      workspaceSlug: ws.slug,
      taskId: task.id,
      body: "on a doomed task",
    });
    await callerFor(member).task.delete({ workspaceSlug: ws.slug, taskId: task.id });

    const seen = (await feedOf(ws, viewer)).filter((e) => e.task?.id === task.id);
    expect(seen.map((e) => e.action)).toEqual(["task.deleted", "comment.created", "task.updated", "task.created"]);
    for (const e of seen) expect(e.task).toEqual({ id: task.id, ref: task.ref, title: null, deleted: true });
    expect(JSON.stringify(seen)).not.toContain("Doomed");
    expect(only(seen, "task.deleted")[0]?.before).toEqual({ title: null, status: "TODO" });
    expect(only(seen, "task.updated")[0]).toMatchObject({ before: { title: null }, after: { title: null } });
    // A comment on a deleted task is gone with it.
    expect(only(seen, "comment.created")[0]?.comment).toEqual({ id: comment.id, excerpt: null, deleted: true });

    for (const reader of [member, admin, ws.owner]) {
      const events = (await feedOf(ws, reader)).filter((e) => e.task?.id === task.id);
      for (const e of events)
        expect(e.task).toEqual({ id: task.id, ref: task.ref, title: "Doomed plan v2", deleted: true });
      expect(only(events, "task.deleted")[0]?.before).toEqual({ title: "Doomed plan v2", status: "TODO" });
      expect(only(events, "task.updated")[0]).toMatchObject({
        before: { title: "Doomed plan" },
        after: { title: "Doomed plan v2" },
      });
      expect(only(events, "comment.created")[0]?.comment.excerpt).toBeNull();
    }
  });
});

/** Events as versions before this change stored them (linked to their comment, as the migration does first). */
async function storeLegacyEvents(
  ws: TestWorkspace,
  actor: TestUser,
  taskId: string,
  commentId: string,
  removedEmail: string,
  inviteeEmail: string,
) {
  const base = { workspaceId: ws.id, actorId: actor.id };
  const at = (s: number) => new Date(Date.UTC(2099, 0, 1, 0, 0, s));
  await recordActivity(
    testDb(),
    ...[
      {
        ...base,
        action: "comment.created",
        entityType: "comment",
        entityId: commentId,
        commentId,
        taskId,
        after: { body: `old ${SECRET_COMMENT}`, mentioned: [] },
        createdAt: at(1),
      },
      {
        ...base,
        action: "comment.edited",
        entityType: "comment",
        entityId: commentId,
        commentId,
        taskId,
        before: { body: `old ${SECRET_COMMENT}` },
        after: { body: "old edit" },
        createdAt: at(2),
      },
      {
        ...base,
        action: "task.updated",
        entityType: "task",
        entityId: taskId,
        taskId,
        before: { description: SECRET_DESCRIPTION, priority: "LOW" },
        after: { description: "", priority: "HIGH" },
        createdAt: at(3),
      },
      {
        ...base,
        action: "member.removed",
        entityType: "member",
        entityId: "gone-member",
        before: { role: "MEMBER", userId: "gone-user", email: removedEmail },
        createdAt: at(4),
      },
      {
        ...base,
        action: "invitation.created",
        entityType: "invitation",
        entityId: "old-invite",
        after: { email: inviteeEmail, role: "ADMIN" },
        createdAt: at(5),
      },
    ],
  );
}

describe("events stored in the old shape", () => {
  it("are redacted on read", async () => {
    const { ws, member, viewer, project } = await setup();
    const task = await makeTask(ws, project.id, { title: "Legacy" });
    const comment = await callerFor(member).comment.create({
      workspaceSlug: ws.slug,
      taskId: task.id,
      body: "live text",
    });
    const removed = `removed-${uid()}@example.test`;
    const invitee = `old-invitee-${uid()}@example.test`;
    await storeLegacyEvents(ws, member, task.id, comment.id, removed, invitee);

    const feed = await feedOf(ws, viewer);
    const text = JSON.stringify(feed);
    for (const secret of ["hunter2", "Customer list", "old edit", removed, invitee]) expect(text).not.toContain(secret);
    const [edited] = only(feed, "comment.edited");
    expect(edited).toMatchObject({ before: null, after: null, comment: { excerpt: "live text", deleted: false } });
    expect(only(feed, "comment.created")[0]?.after).toEqual({ mentioned: [] });
    expect(only(feed, "task.updated")[0]).toMatchObject({
      before: { description: { length: 41 }, priority: "LOW" },
      after: { description: { length: 0 }, priority: "HIGH" },
    });
    expect(only(feed, "member.removed")[0]?.before).toEqual({ role: "MEMBER", userId: "gone-user" });
    expect(only(feed, "invitation.created")[0]?.after).toEqual({ email: null, role: "ADMIN" });
    // An owner still sees the invitee (invitations are theirs to read), never the removed member's address.
    const ownerText = JSON.stringify(await feedOf(ws, ws.owner));
    expect(ownerText).toContain(invitee);
    expect(ownerText).not.toContain(removed);
  });

  it("are scrubbed in the database by the migration", async () => {
    const { ws, member, project } = await setup();
    const task = await makeTask(ws, project.id, { title: "Legacy" });
    const comment = await callerFor(member).comment.create({
      workspaceSlug: ws.slug,
      taskId: task.id,
      body: "live text",
    });
    const removed = `removed-${uid()}@example.test`;
    const invitee = `old-invitee-${uid()}@example.test`;
    await storeLegacyEvents(ws, member, task.id, comment.id, removed, invitee);
    // Older rows had no comment link either.
    await testDb().activityEvent.updateMany({
      where: { workspaceId: ws.id, entityType: "comment" },
      data: { commentId: null },
    });

    // The data part of the migration (after its schema changes), statement by statement.
    const sql = readFileSync(
      path.resolve(import.meta.dirname, "../../prisma/migrations/20261202100000_private_audit_trail/migration.sql"),
      "utf8",
    );
    const data = sql.slice(sql.indexOf("-- Link existing comment events"));
    for (const statement of data
      .split(/;\s*\n/)
      .map((s) => s.trim())
      .filter((s) => s.replace(/--.*$/gm, "").trim()))
      await testDb().$executeRawUnsafe(statement);

    const rows = await testDb().activityEvent.findMany({
      where: { workspaceId: ws.id, createdAt: { gte: new Date(Date.UTC(2099, 0, 1)) } },
      orderBy: { createdAt: "asc" },
      select: { action: true, commentId: true, before: true, after: true },
    });
    expect(rows).toEqual([
      { action: "comment.created", commentId: comment.id, before: null, after: { mentioned: [] } },
      { action: "comment.edited", commentId: comment.id, before: null, after: null },
      {
        action: "task.updated",
        commentId: null,
        before: { description: { length: 41 }, priority: "LOW" },
        after: { description: { length: 0 }, priority: "HIGH" },
      },
      { action: "member.removed", commentId: null, before: { role: "MEMBER", userId: "gone-user" }, after: null },
      // Invitee addresses stay stored: owners and admins may read them.
      { action: "invitation.created", commentId: null, before: null, after: { email: invitee, role: "ADMIN" } },
    ]);
    // The events written by this version were already clean; the live comment event got its link back.
    expect(
      await testDb().activityEvent.count({
        where: { workspaceId: ws.id, entityType: "comment", commentId: comment.id },
      }),
    ).toBe(3);
  });

  it("leaves out events it cannot read instead of failing the page", async () => {
    const { ws, viewer, project } = await setup();
    const task = await makeTask(ws, project.id, { title: "Odd" });
    await recordActivity(
      testDb(),
      ...[
        {
          workspaceId: ws.id,
          action: "task.teleported",
          entityType: "task",
          entityId: task.id,
          taskId: task.id,
          after: { secret: "beam me up" },
        },
        {
          workspaceId: ws.id,
          action: "task.updated",
          entityType: "task",
          entityId: task.id,
          taskId: task.id,
          before: ["not", "an", "object"],
          after: { priority: "EXTREME" },
        },
      ],
    );
    const feed = await feedOf(ws, viewer);
    expect(feed.some((e) => JSON.stringify(e).includes("beam me up"))).toBe(false);
    const unreadable = only(feed, "task.updated");
    expect(unreadable).toHaveLength(1);
    expect(unreadable[0]).toMatchObject({
      actor: null,
      before: null,
      after: null,
      task: { id: task.id, deleted: false },
    });
  });
});
