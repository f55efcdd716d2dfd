import { describe, expect, it } from "vitest";
import "../setup/file-db";
import { testDb } from "../setup/file-db";
import {
  addMember,
  callerFor,
  makeTask,
  makeUser,
  makeWorkspace,
  uid,
  type TestUser,
  type TestWorkspace,
} from "../helpers/factories";
import { expectApiError } from "../helpers/errors";

/** A project row made directly, so these tests do not depend on project.create. */
function makeProjectRow(ws: TestWorkspace) {
  const key = `L${uid().slice(0, 5).toUpperCase()}`;
  return testDb().project.create({
    data: { workspaceId: ws.id, key, name: `Project ${key}` },
    select: { id: true, key: true },
  });
}

/** A label row made directly, for tests that are about using labels rather than creating them. */
function makeLabelRow(ws: TestWorkspace, name: string, color = "#3b82f6") {
  return testDb().label.create({
    data: { workspaceId: ws.id, name, color },
    select: { id: true, name: true, color: true },
  });
}

async function setup() {
  const ws = await makeWorkspace();
  const member = await addMember(ws, "MEMBER");
  const viewer = await addMember(ws, "VIEWER");
  const project = await makeProjectRow(ws);
  return { ws, owner: ws.owner, member, viewer, project };
}

function labels(ws: TestWorkspace, user: TestUser) {
  return callerFor(user).label.list({ workspaceSlug: ws.slug });
}

async function setLabels(ws: TestWorkspace, user: TestUser, taskId: string, labelIds: string[]) {
  const current = await callerFor(user).task.get({ workspaceSlug: ws.slug, taskId });
  return callerFor(user).task.update({ workspaceSlug: ws.slug, taskId, version: current.version, patch: { labelIds } });
}

function labelEvents(ws: TestWorkspace) {
  return testDb().activityEvent.findMany({
    where: { workspaceId: ws.id, entityType: "label" },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: { action: true, entityId: true, actorId: true, taskId: true, before: true, after: true },
  });
}

describe("label.create", () => {
  it("creates a label with a trimmed name and its color normalized to lowercase", async () => {
    const { ws, member } = await setup();
    const created = await callerFor(member).label.create({ workspaceSlug: ws.slug, name: "  Bug  ", color: "#3B82F6" });
    expect(created).toEqual({ id: expect.any(String), name: "Bug", color: "#3b82f6", taskCount: 0 });
    expect(await labels(ws, member)).toEqual([created]);
    const row = await testDb().label.findUniqueOrThrow({
      where: { id: created.id },
      select: { name: true, color: true, workspaceId: true },
    });
    expect(row).toEqual({ name: "Bug", color: "#3b82f6", workspaceId: ws.id });
    expect(await labelEvents(ws)).toEqual([
      {
        action: "label.created",
        entityId: created.id,
        actorId: member.id,
        taskId: null,
        before: null,
        after: { name: "Bug", color: "#3b82f6" },
      },
    ]);
  });

  it("reports a duplicate name as CONFLICT on the name field; other workspaces may reuse it", async () => {
    const { ws, member } = await setup();
    await makeLabelRow(ws, "Bug");
    const error = await expectApiError(
      callerFor(member).label.create({ workspaceSlug: ws.slug, name: "Bug", color: "#ff0000" }),
      "CONFLICT",
    );
    expect(error.data.fieldErrors?.name).toEqual(["A label named “Bug” already exists"]);
    expect(await testDb().label.count({ where: { workspaceId: ws.id } })).toBe(1);

    const other = await makeWorkspace();
    await expect(
      callerFor(other.owner).label.create({ workspaceSlug: other.slug, name: "Bug", color: "#FF0000" }),
    ).resolves.toMatchObject({ name: "Bug", color: "#ff0000", taskCount: 0 });
  });

  it("rejects malformed colors with fieldErrors.color", async () => {
    const { ws, member } = await setup();
    for (const color of ["#12345", "red", "#1234567", "3b82f6", "#ggghhh", "", " #3b82f6", "#3b82f6 "]) {
      const error = await expectApiError(
        callerFor(member).label.create({ workspaceSlug: ws.slug, name: `L ${uid()}`, color }),
        "BAD_REQUEST",
      );
      expect(error.data.fieldErrors?.color, JSON.stringify(color)).toEqual(["Use a hex color like #3b82f6"]);
    }
    expect(await testDb().label.count({ where: { workspaceId: ws.id } })).toBe(0);
  });

  it("rejects bad names and unknown fields", async () => {
    const { ws, member } = await setup();
    for (const name of ["", "   ", "x".repeat(41)]) {
      const error = await expectApiError(
        callerFor(member).label.create({ workspaceSlug: ws.slug, name, color: "#000000" }),
        "BAD_REQUEST",
      );
      expect(error.data.fieldErrors?.name, JSON.stringify(name)).toHaveLength(1);
    }
    const unknown = await expectApiError(
      callerFor(member).label.create({
        workspaceSlug: ws.slug,
        name: "Ok",
        color: "#000000",
        workspaceId: "x",
      } as never),
      "BAD_REQUEST",
    );
    expect(Object.keys(unknown.data.fieldErrors ?? {})).toContain("");
    expect(await testDb().label.count({ where: { workspaceId: ws.id } })).toBe(0);
  });
});

describe("label.update", () => {
  it("renames and recolors (lowercased) and records the change", async () => {
    const { ws, member } = await setup();
    const label = await makeLabelRow(ws, "Bug", "#111111");
    const renamed = await callerFor(member).label.update({
      workspaceSlug: ws.slug,
      labelId: label.id,
      name: " Defect ",
      color: "#ABCDEF",
    });
    expect(renamed).toEqual({ id: label.id, name: "Defect", color: "#abcdef", taskCount: 0 });
    const recolored = await callerFor(member).label.update({
      workspaceSlug: ws.slug,
      labelId: label.id,
      color: "#00FF00",
    });
    expect(recolored).toEqual({ id: label.id, name: "Defect", color: "#00ff00", taskCount: 0 });
    expect(await labels(ws, member)).toEqual([recolored]);
    expect(await labelEvents(ws)).toEqual([
      {
        action: "label.updated",
        entityId: label.id,
        actorId: member.id,
        taskId: null,
        before: { name: "Bug", color: "#111111" },
        after: { name: "Defect", color: "#abcdef" },
      },
      {
        action: "label.updated",
        entityId: label.id,
        actorId: member.id,
        taskId: null,
        before: { name: "Defect", color: "#abcdef" },
        after: { name: "Defect", color: "#00ff00" },
      },
    ]);
  });

  it("reports renaming onto a taken name as CONFLICT on the name field", async () => {
    const { ws, member } = await setup();
    await makeLabelRow(ws, "Bug");
    const feature = await makeLabelRow(ws, "Feature");
    const error = await expectApiError(
      callerFor(member).label.update({ workspaceSlug: ws.slug, labelId: feature.id, name: "Bug" }),
      "CONFLICT",
    );
    expect(error.data.fieldErrors?.name).toEqual(["A label named “Bug” already exists"]);
    expect((await labels(ws, member)).map((l) => l.name)).toEqual(["Bug", "Feature"]);
  });

  it("rejects malformed colors and unknown fields", async () => {
    const { ws, member } = await setup();
    const label = await makeLabelRow(ws, "Bug", "#111111");
    for (const color of ["#12345", "red"]) {
      const error = await expectApiError(
        callerFor(member).label.update({ workspaceSlug: ws.slug, labelId: label.id, color }),
        "BAD_REQUEST",
      );
      expect(error.data.fieldErrors?.color).toEqual(["Use a hex color like #3b82f6"]);
    }
    const unknown = await expectApiError(
      callerFor(member).label.update({ workspaceSlug: ws.slug, labelId: label.id, name: "x", taskCount: 3 } as never),
      "BAD_REQUEST",
    );
    expect(Object.keys(unknown.data.fieldErrors ?? {})).toContain("");
    expect(await labels(ws, member)).toEqual([{ id: label.id, name: "Bug", color: "#111111", taskCount: 0 }]);
  });
});

describe("label permissions and tenancy", () => {
  it("lets a VIEWER list labels but not create, update or delete them", async () => {
    const { ws, viewer } = await setup();
    const label = await makeLabelRow(ws, "Bug", "#111111");
    expect(await labels(ws, viewer)).toEqual([{ id: label.id, name: "Bug", color: "#111111", taskCount: 0 }]);
    await expectApiError(
      callerFor(viewer).label.create({ workspaceSlug: ws.slug, name: "New", color: "#000000" }),
      "FORBIDDEN",
    );
    await expectApiError(
      callerFor(viewer).label.update({ workspaceSlug: ws.slug, labelId: label.id, name: "Renamed" }),
      "FORBIDDEN",
    );
    await expectApiError(callerFor(viewer).label.delete({ workspaceSlug: ws.slug, labelId: label.id }), "FORBIDDEN");
    expect(await labels(ws, viewer)).toEqual([{ id: label.id, name: "Bug", color: "#111111", taskCount: 0 }]);
    expect(await labelEvents(ws)).toEqual([]);
  });

  it("answers NOT_FOUND for another workspace's label and never lists it", async () => {
    const a = await setup();
    const b = await setup();
    const mine = await makeLabelRow(a.ws, "Mine");
    const theirs = await makeLabelRow(b.ws, "Theirs", "#222222");
    await expectApiError(
      callerFor(a.member).label.update({ workspaceSlug: a.ws.slug, labelId: theirs.id, name: "Stolen" }),
      "NOT_FOUND",
    );
    await expectApiError(
      callerFor(a.owner).label.delete({ workspaceSlug: a.ws.slug, labelId: theirs.id }),
      "NOT_FOUND",
    );
    expect((await labels(a.ws, a.member)).map((l) => l.id)).toEqual([mine.id]);
    expect(await labels(b.ws, b.member)).toEqual([{ id: theirs.id, name: "Theirs", color: "#222222", taskCount: 0 }]);
    await expectApiError(callerFor(a.member).label.list({ workspaceSlug: b.ws.slug }), "NOT_FOUND");
    await expectApiError(callerFor(null).label.list({ workspaceSlug: a.ws.slug }), "UNAUTHORIZED");
  });

  it("refuses another workspace's label on a task", async () => {
    const a = await setup();
    const b = await setup();
    const theirs = await makeLabelRow(b.ws, "Theirs");
    const task = await makeTask(a.ws, a.project.id, { title: "Cross-tenant label" });
    const error = await expectApiError(setLabels(a.ws, a.member, task.id, [theirs.id]), "BAD_REQUEST");
    expect(error.data.fieldErrors?.labelIds).toEqual(["Every label must belong to this workspace"]);
    expect(await testDb().taskLabel.count({ where: { taskId: task.id } })).toBe(0);
    expect((await labels(b.ws, b.member))[0]?.taskCount).toBe(0);
  });
});

describe("labels on tasks", () => {
  it("counts the tasks each label is on, following task.update patch.labelIds", async () => {
    const { ws, member, project } = await setup();
    const bug = await makeLabelRow(ws, "Bug", "#ff0000");
    const ui = await makeLabelRow(ws, "UI", "#00ff00");
    await makeLabelRow(ws, "Unused", "#0000ff");
    const t1 = await makeTask(ws, project.id, { title: "One" });
    const t2 = await makeTask(ws, project.id, { title: "Two" });

    const updated = await setLabels(ws, member, t1.id, [ui.id, bug.id]);
    expect(updated.labels).toEqual([
      { id: bug.id, name: "Bug", color: "#ff0000" },
      { id: ui.id, name: "UI", color: "#00ff00" },
    ]);
    await setLabels(ws, member, t2.id, [bug.id]);
    expect((await labels(ws, member)).map((l) => [l.name, l.taskCount])).toEqual([
      ["Bug", 2],
      ["UI", 1],
      ["Unused", 0],
    ]);

    await setLabels(ws, member, t1.id, []);
    expect((await labels(ws, member)).map((l) => [l.name, l.taskCount])).toEqual([
      ["Bug", 1],
      ["UI", 0],
      ["Unused", 0],
    ]);
    expect((await callerFor(member).task.get({ workspaceSlug: ws.slug, taskId: t1.id })).labels).toEqual([]);
    expect(
      (await callerFor(member).task.get({ workspaceSlug: ws.slug, taskId: t2.id })).labels.map((l) => l.id),
    ).toEqual([bug.id]);
  });

  it("does not count deleted tasks, matching what a label filter lists", async () => {
    const { ws, member, project } = await setup();
    const bug = await makeLabelRow(ws, "Bug", "#ff0000");
    const kept = await makeTask(ws, project.id, { title: "Kept" });
    const removed = await makeTask(ws, project.id, { title: "Removed" });
    await setLabels(ws, member, kept.id, [bug.id]);
    await setLabels(ws, member, removed.id, [bug.id]);
    expect((await labels(ws, member))[0]?.taskCount).toBe(2);

    await callerFor(member).task.delete({ workspaceSlug: ws.slug, taskId: removed.id });
    const filtered = await callerFor(member).task.list({ workspaceSlug: ws.slug, filter: { labelId: bug.id } });
    expect(filtered.items.map((t) => t.id)).toEqual([kept.id]);
    expect(await labels(ws, member)).toEqual([{ id: bug.id, name: "Bug", color: "#ff0000", taskCount: 1 }]);
  });

  it("shows a rename on the tasks that carry the label", async () => {
    const { ws, member, project } = await setup();
    const label = await makeLabelRow(ws, "Bug", "#ff0000");
    const task = await makeTask(ws, project.id, { title: "Labelled" });
    await setLabels(ws, member, task.id, [label.id]);
    await callerFor(member).label.update({
      workspaceSlug: ws.slug,
      labelId: label.id,
      name: "Defect",
      color: "#00AA00",
    });
    expect((await callerFor(member).task.get({ workspaceSlug: ws.slug, taskId: task.id })).labels).toEqual([
      { id: label.id, name: "Defect", color: "#00aa00" },
    ]);
  });

  it("deleting a label removes it from every task", async () => {
    const { ws, member, viewer, project } = await setup();
    const bug = await makeLabelRow(ws, "Bug", "#ff0000");
    const ui = await makeLabelRow(ws, "UI", "#00ff00");
    const t1 = await makeTask(ws, project.id, { title: "One" });
    const t2 = await makeTask(ws, project.id, { title: "Two" });
    await setLabels(ws, member, t1.id, [bug.id, ui.id]);
    await setLabels(ws, member, t2.id, [bug.id]);

    await expect(callerFor(member).label.delete({ workspaceSlug: ws.slug, labelId: bug.id })).resolves.toEqual({
      ok: true,
    });
    expect(await labels(ws, viewer)).toEqual([{ id: ui.id, name: "UI", color: "#00ff00", taskCount: 1 }]);
    expect(
      (await callerFor(viewer).task.get({ workspaceSlug: ws.slug, taskId: t1.id })).labels.map((l) => l.name),
    ).toEqual(["UI"]);
    expect((await callerFor(viewer).task.get({ workspaceSlug: ws.slug, taskId: t2.id })).labels).toEqual([]);
    expect(await testDb().taskLabel.count({ where: { labelId: bug.id } })).toBe(0);
    const filtered = await callerFor(viewer).task.list({ workspaceSlug: ws.slug, filter: { labelId: ui.id } });
    expect(filtered.items.map((t) => t.id)).toEqual([t1.id]);
    // It is gone: a second delete and an update answer NOT_FOUND.
    await expectApiError(callerFor(member).label.delete({ workspaceSlug: ws.slug, labelId: bug.id }), "NOT_FOUND");
    await expectApiError(
      callerFor(member).label.update({ workspaceSlug: ws.slug, labelId: bug.id, name: "Back" }),
      "NOT_FOUND",
    );
    expect(await labelEvents(ws)).toEqual([
      {
        action: "label.deleted",
        entityId: bug.id,
        actorId: member.id,
        taskId: null,
        before: { name: "Bug", color: "#ff0000" },
        after: null,
      },
    ]);
  });
});

// ─── activity ──────────────────────────────────────────────────────────────

type FeedPage = Awaited<ReturnType<ReturnType<typeof callerFor>["activity"]["feed"]>>;
type FeedItem = FeedPage["items"][number];

/** Follows nextCursor with `limit` until the end; returns every item and the page sizes. */
async function drain(
  fetchPage: (cursor: string | null) => Promise<FeedPage>,
): Promise<{ items: FeedItem[]; sizes: number[] }> {
  const items: FeedItem[] = [];
  const sizes: number[] = [];
  let cursor: string | null = null;
  for (let guard = 0; guard < 200; guard++) {
    const page = await fetchPage(cursor);
    items.push(...page.items);
    sizes.push(page.items.length);
    cursor = page.nextCursor;
    if (!cursor) return { items, sizes };
  }
  throw new Error("pagination did not end");
}

function eventsInDb(workspaceId: string, order: "asc" | "desc", taskId?: string) {
  return testDb().activityEvent.findMany({
    where: { workspaceId, ...(taskId ? { taskId } : {}) },
    orderBy: [{ createdAt: order }, { id: order }],
    select: { id: true, action: true, createdAt: true },
  });
}

/** Makes a varied history in a workspace: tasks, updates, moves, comments, labels, deletes. */
async function makeHistory(ws: TestWorkspace, actor: TestUser, projectId: string, tag: string) {
  const caller = callerFor(actor);
  const t1 = await makeTask(ws, projectId, { title: `${tag} first` }, actor);
  const t2 = await makeTask(ws, projectId, { title: `${tag} second` }, actor);
  await caller.task.update({
    workspaceSlug: ws.slug,
    taskId: t1.id,
    version: t1.version,
    patch: { title: `${tag} first, renamed` },
  });
  await caller.task.move({ workspaceSlug: ws.slug, taskId: t2.id, status: "IN_PROGRESS" });
  const c = await caller.comment.create({ workspaceSlug: ws.slug, taskId: t1.id, body: `${tag} comment` });
  await caller.comment.update({ workspaceSlug: ws.slug, commentId: c.id, body: `${tag} comment, edited` });
  const label = await makeLabelRow(ws, `${tag} label`);
  await caller.label.update({ workspaceSlug: ws.slug, labelId: label.id, color: "#ABCDEF" });
  await caller.task.delete({ workspaceSlug: ws.slug, taskId: t2.id });
  const actions = [
    "task.created",
    "task.created",
    "task.updated",
    "task.updated",
    "comment.created",
    "comment.edited",
    "label.updated",
    "task.deleted",
  ];
  return { t1, t2, actions };
}

describe("activity.feed", () => {
  it("lists every event newest first; limit 2 pages return each event exactly once", async () => {
    const { ws, member, viewer, project } = await setup();
    const { actions, t1 } = await makeHistory(ws, member, project.id, "feed");

    const { items, sizes } = await drain((cursor) =>
      callerFor(viewer).activity.feed({ workspaceSlug: ws.slug, limit: 2, cursor }),
    );
    const inDb = await eventsInDb(ws.id, "desc");
    expect(inDb.length).toBeGreaterThanOrEqual(actions.length);
    expect(items.map((e) => e.id)).toEqual(inDb.map((e) => e.id));
    expect(new Set(items.map((e) => e.id)).size).toBe(items.length);
    expect(sizes).toEqual([...Array(Math.floor(inDb.length / 2)).fill(2), ...(inDb.length % 2 ? [1] : [])]);
    // Newest first: the most recent actions lead, in reverse order of doing them.
    expect(items.slice(0, actions.length).map((e) => e.action)).toEqual([...actions].reverse());
    for (let i = 1; i < items.length; i++)
      expect(items[i - 1]!.createdAt.getTime()).toBeGreaterThanOrEqual(items[i]!.createdAt.getTime());

    const edited = items.find((e) => e.action === "comment.edited");
    // Comment events carry the comment as it is now, not a copy of its text.
    expect(edited).toMatchObject({
      entityType: "comment",
      actor: { id: member.id },
      task: { id: t1.id, ref: t1.ref, title: "feed first, renamed", deleted: false },
      comment: { excerpt: "feed comment, edited", deleted: false },
      before: null,
      after: null,
    });

    // One page of 100 holds the same events in the same order.
    const whole = await callerFor(viewer).activity.feed({ workspaceSlug: ws.slug, limit: 100 });
    expect(whole.nextCursor).toBeNull();
    expect(whole.items.map((e) => e.id)).toEqual(items.map((e) => e.id));
  });

  it("never shows another workspace's events", async () => {
    const a = await setup();
    const b = await setup();
    await makeHistory(a.ws, a.member, a.project.id, "alpha");
    await makeHistory(b.ws, b.member, b.project.id, "bravo");
    // A user in both workspaces sees each feed separately.
    await addMember(b.ws, "MEMBER", a.member);

    const aFeed = await drain((cursor) =>
      callerFor(a.member).activity.feed({ workspaceSlug: a.ws.slug, limit: 3, cursor }),
    );
    const aIds = new Set((await eventsInDb(a.ws.id, "desc")).map((e) => e.id));
    const bIds = new Set((await eventsInDb(b.ws.id, "desc")).map((e) => e.id));
    expect(aFeed.items.length).toBe(aIds.size);
    expect(aFeed.items.every((e) => aIds.has(e.id) && !bIds.has(e.id))).toBe(true);
    expect(aFeed.items.some((e) => JSON.stringify(e).includes("bravo"))).toBe(false);

    const bFeed = await drain((cursor) =>
      callerFor(a.member).activity.feed({ workspaceSlug: b.ws.slug, limit: 3, cursor }),
    );
    expect(bFeed.items.map((e) => e.id).sort()).toEqual([...bIds].sort());
    expect(bFeed.items.some((e) => JSON.stringify(e).includes("alpha"))).toBe(false);
  });

  it("rejects garbage cursors and bad limits with field errors", async () => {
    const { ws, member, project } = await setup();
    const task = await makeTask(ws, project.id);
    const garbage = [
      "garbage",
      "!!!",
      "%%%",
      Buffer.from("no separator").toString("base64url"),
      Buffer.from("not-a-date|abc").toString("base64url"),
      Buffer.from("|abc").toString("base64url"),
      Buffer.from("2026-01-01T00:00:00.000Z|").toString("base64url"),
    ];
    for (const cursor of garbage) {
      const feed = await expectApiError(
        callerFor(member).activity.feed({ workspaceSlug: ws.slug, cursor }),
        "BAD_REQUEST",
      );
      expect(feed.data.fieldErrors?.cursor, cursor).toBeDefined();
      const forTask = await expectApiError(
        callerFor(member).activity.forTask({ workspaceSlug: ws.slug, taskId: task.id, cursor }),
        "BAD_REQUEST",
      );
      expect(forTask.data.fieldErrors?.cursor, cursor).toBeDefined();
    }
    const long = await expectApiError(
      callerFor(member).activity.feed({ workspaceSlug: ws.slug, cursor: "a".repeat(513) }),
      "BAD_REQUEST",
    );
    expect(long.data.fieldErrors?.cursor).toBeDefined();
    for (const limit of [0, 101, 1.5]) {
      const error = await expectApiError(
        callerFor(member).activity.feed({ workspaceSlug: ws.slug, limit }),
        "BAD_REQUEST",
      );
      expect(error.data.fieldErrors?.limit).toBeDefined();
    }
    const unknown = await expectApiError(
      callerFor(member).activity.feed({ workspaceSlug: ws.slug, since: "yesterday" } as never),
      "BAD_REQUEST",
    );
    expect(Object.keys(unknown.data.fieldErrors ?? {})).toContain("");
  });

  it("is readable by viewers and hidden from non-members", async () => {
    const { ws, viewer } = await setup();
    const page = await callerFor(viewer).activity.feed({ workspaceSlug: ws.slug });
    expect(page.items.length).toBe(await testDb().activityEvent.count({ where: { workspaceId: ws.id } }));
    await expectApiError(callerFor(await makeUser("outsider")).activity.feed({ workspaceSlug: ws.slug }), "NOT_FOUND");
    await expectApiError(callerFor(null).activity.feed({ workspaceSlug: ws.slug }), "UNAUTHORIZED");
  });
});

describe("activity.forTask", () => {
  it("lists one task's history oldest first, paging with limit 2", async () => {
    const { ws, member, viewer, project } = await setup();
    const { t1, t2 } = await makeHistory(ws, member, project.id, "hist");
    const t3 = await makeTask(ws, project.id, { title: "Unrelated" });
    await callerFor(member).task.update({
      workspaceSlug: ws.slug,
      taskId: t1.id,
      version: (await callerFor(member).task.get({ workspaceSlug: ws.slug, taskId: t1.id })).version,
      patch: { priority: "HIGH" },
    });

    const { items, sizes } = await drain((cursor) =>
      callerFor(viewer).activity.forTask({ workspaceSlug: ws.slug, taskId: t1.id, limit: 2, cursor }),
    );
    expect(items.map((e) => e.action)).toEqual([
      "task.created",
      "task.updated",
      "comment.created",
      "comment.edited",
      "task.updated",
    ]);
    expect(sizes).toEqual([2, 2, 1]);
    expect(items.map((e) => e.id)).toEqual((await eventsInDb(ws.id, "asc", t1.id)).map((e) => e.id));
    expect(items.every((e) => e.task?.id === t1.id && e.task.ref === t1.ref)).toBe(true);
    expect(items[0]).toMatchObject({
      entityType: "task",
      entityId: t1.id,
      actor: { id: member.id },
      before: null,
      after: { title: "hist first", status: "TODO", priority: "NONE" },
    });
    expect(items[1]).toMatchObject({ before: { title: "hist first" }, after: { title: "hist first, renamed" } });
    expect(items[4]).toMatchObject({ before: { priority: "NONE" }, after: { priority: "HIGH" } });
    for (let i = 1; i < items.length; i++)
      expect(items[i - 1]!.createdAt.getTime()).toBeLessThanOrEqual(items[i]!.createdAt.getTime());

    const other = await callerFor(viewer).activity.forTask({ workspaceSlug: ws.slug, taskId: t3.id });
    expect(other.items.map((e) => e.action)).toEqual(["task.created"]);
    // A deleted task's history is no longer reachable here, but stays in the feed.
    await expectApiError(callerFor(viewer).activity.forTask({ workspaceSlug: ws.slug, taskId: t2.id }), "NOT_FOUND");
    const feed = await callerFor(viewer).activity.feed({ workspaceSlug: ws.slug, limit: 100 });
    expect(feed.items.filter((e) => e.task?.id === t2.id).map((e) => e.action)).toEqual([
      "task.deleted",
      "task.updated",
      "task.created",
    ]);
  });

  it("answers NOT_FOUND for another workspace's task", async () => {
    const a = await setup();
    const b = await setup();
    const theirs = await makeTask(b.ws, b.project.id, { title: "B's task" });
    await expectApiError(
      callerFor(a.member).activity.forTask({ workspaceSlug: a.ws.slug, taskId: theirs.id }),
      "NOT_FOUND",
    );
    await expectApiError(
      callerFor(a.member).activity.forTask({ workspaceSlug: a.ws.slug, taskId: "missing" }),
      "NOT_FOUND",
    );
  });
});
