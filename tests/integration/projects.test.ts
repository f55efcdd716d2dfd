import { describe, expect, it } from "vitest";
import "../setup/file-db";
import { testDb } from "../setup/file-db";
import {
  addMember,
  callerFor,
  makeProject,
  makeTask,
  makeUser,
  makeWorkspace,
  type TestWorkspace,
} from "../helpers/factories";
import { expectApiError } from "../helpers/errors";

const KEY_FORMAT = "Letters and digits, starting with a letter, e.g. WEB";
const KEY_LENGTH = "Use 2–10 characters";

async function projectRow(projectId: string) {
  return testDb().project.findUniqueOrThrow({
    where: { id: projectId },
    select: { key: true, name: true, description: true, archivedAt: true, taskCounter: true, workspaceId: true },
  });
}

async function projectEvents(projectId: string) {
  return testDb().activityEvent.findMany({
    where: { entityType: "project", entityId: projectId },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: { action: true, actorId: true, workspaceId: true, taskId: true, before: true, after: true },
  });
}

async function projectCount(ws: TestWorkspace) {
  return testDb().project.count({ where: { workspaceId: ws.id } });
}

describe("project.create", () => {
  it("creates a project with an uppercased key, zero counts and no archive date", async () => {
    const ws = await makeWorkspace();
    const owner = callerFor(ws.owner);
    const created = await owner.project.create({
      workspaceSlug: ws.slug,
      key: "  web ",
      name: "  Website  ",
      description: "The marketing site",
    });
    expect(created).toMatchObject({
      key: "WEB",
      name: "Website",
      description: "The marketing site",
      archivedAt: null,
      openCount: 0,
      doneCount: 0,
    });
    expect(created.createdAt).toBeInstanceOf(Date);

    const row = await projectRow(created.id);
    expect(row).toEqual({
      key: "WEB",
      name: "Website",
      description: "The marketing site",
      archivedAt: null,
      taskCounter: 0,
      workspaceId: ws.id,
    });

    const byKey = await owner.project.byKey({ workspaceSlug: ws.slug, key: "web" });
    expect(byKey).toEqual(created);
    const list = await owner.project.list({ workspaceSlug: ws.slug });
    expect(list).toEqual([created]);
  });

  it("defaults the description to an empty string and accepts 2- and 10-character keys", async () => {
    const ws = await makeWorkspace();
    const owner = callerFor(ws.owner);
    const short = await owner.project.create({ workspaceSlug: ws.slug, key: "ab", name: "Short" });
    expect(short).toMatchObject({ key: "AB", description: "" });
    const long = await owner.project.create({ workspaceSlug: ws.slug, key: "a123456789", name: "Long" });
    expect(long.key).toBe("A123456789");
  });

  it.each([
    ["1AB", [KEY_FORMAT]],
    ["A", [KEY_LENGTH]],
    ["ABCDEFGHIJK", [KEY_LENGTH]],
    ["WEB!", [KEY_FORMAT]],
    ["WE B", [KEY_FORMAT]],
    ["", [KEY_LENGTH, KEY_FORMAT]],
  ])("rejects the key %j with a field error", async (key, messages) => {
    const ws = await makeWorkspace();
    const error = await expectApiError(
      callerFor(ws.owner).project.create({ workspaceSlug: ws.slug, key, name: "Bad key" }),
      "BAD_REQUEST",
    );
    expect(error.message).toBe("Invalid input");
    expect(error.data.fieldErrors).toEqual({ key: messages });
    expect(await projectCount(ws)).toBe(0);
  });

  it("rejects an empty name, a long description, wrong types and unknown fields", async () => {
    const ws = await makeWorkspace();
    const owner = callerFor(ws.owner);
    const empty = await expectApiError(
      owner.project.create({ workspaceSlug: ws.slug, key: "WEB", name: "   " }),
      "BAD_REQUEST",
    );
    expect(empty.data.fieldErrors).toEqual({ name: ["Required"] });
    const longName = await expectApiError(
      owner.project.create({ workspaceSlug: ws.slug, key: "WEB", name: "n".repeat(81) }),
      "BAD_REQUEST",
    );
    expect(longName.data.fieldErrors).toEqual({ name: ["Use at most 80 characters"] });
    const longDescription = await expectApiError(
      owner.project.create({ workspaceSlug: ws.slug, key: "WEB", name: "Web", description: "d".repeat(2001) }),
      "BAD_REQUEST",
    );
    expect(longDescription.data.fieldErrors).toEqual({ description: ["Use at most 2,000 characters"] });
    const wrongType = await expectApiError(
      owner.project.create({ workspaceSlug: ws.slug, key: 42, name: "Web" } as never),
      "BAD_REQUEST",
    );
    expect(Object.keys(wrongType.data.fieldErrors ?? {})).toEqual(["key"]);
    const unknown = await expectApiError(
      owner.project.create({ workspaceSlug: ws.slug, key: "WEB", name: "Web", color: "red" } as never),
      "BAD_REQUEST",
    );
    expect(Object.keys(unknown.data.fieldErrors ?? {})).toEqual([""]);
    expect(await projectCount(ws)).toBe(0);
  });

  it("answers CONFLICT with a key field error for a duplicate key in the same workspace", async () => {
    const ws = await makeWorkspace();
    const owner = callerFor(ws.owner);
    const first = await owner.project.create({ workspaceSlug: ws.slug, key: "WEB", name: "Web" });
    const exact = await expectApiError(
      owner.project.create({ workspaceSlug: ws.slug, key: "WEB", name: "Web again" }),
      "CONFLICT",
    );
    expect(exact.message).toBe("That key is taken");
    expect(exact.data.fieldErrors).toEqual({ key: ["Another project already uses WEB"] });
    // Lowercase input is uppercased first, so it collides too.
    const lower = await expectApiError(
      owner.project.create({ workspaceSlug: ws.slug, key: "web", name: "Web lower" }),
      "CONFLICT",
    );
    expect(lower.data.fieldErrors).toEqual({ key: ["Another project already uses WEB"] });

    const rows = await testDb().project.findMany({ where: { workspaceId: ws.id }, select: { id: true, name: true } });
    expect(rows).toEqual([{ id: first.id, name: "Web" }]);
    const created = await testDb().activityEvent.count({ where: { workspaceId: ws.id, action: "project.created" } });
    expect(created).toBe(1);
  });

  it("lets exactly one of two concurrent creates with the same key win", async () => {
    const ws = await makeWorkspace();
    const admin = await addMember(ws, "ADMIN");
    const outcomes = await Promise.allSettled([
      callerFor(ws.owner).project.create({ workspaceSlug: ws.slug, key: "RACE", name: "Owner's" }),
      callerFor(admin).project.create({ workspaceSlug: ws.slug, key: "race", name: "Admin's" }),
    ]);
    const winners = outcomes.flatMap((o) => (o.status === "fulfilled" ? [o.value] : []));
    const losers = outcomes.flatMap((o) => (o.status === "rejected" ? [o.reason as Error] : []));
    expect(winners).toHaveLength(1);
    expect(losers).toHaveLength(1);
    const error = await expectApiError(Promise.reject(losers[0]!), "CONFLICT");
    expect(error.data.fieldErrors).toEqual({ key: ["Another project already uses RACE"] });
    const rows = await testDb().project.findMany({ where: { workspaceId: ws.id }, select: { id: true, key: true } });
    expect(rows).toEqual([{ id: winners[0]!.id, key: "RACE" }]);
  });

  it("allows the same key in another workspace", async () => {
    const a = await makeWorkspace();
    const b = await makeWorkspace();
    const inA = await callerFor(a.owner).project.create({ workspaceSlug: a.slug, key: "WEB", name: "A web" });
    const inB = await callerFor(b.owner).project.create({ workspaceSlug: b.slug, key: "WEB", name: "B web" });
    expect(inB.id).not.toBe(inA.id);
    expect(inB.key).toBe("WEB");
    expect(await callerFor(a.owner).project.byKey({ workspaceSlug: a.slug, key: "WEB" })).toMatchObject({
      id: inA.id,
      name: "A web",
    });
    expect(await callerFor(b.owner).project.byKey({ workspaceSlug: b.slug, key: "WEB" })).toMatchObject({
      id: inB.id,
      name: "B web",
    });
  });

  it("lets owners and admins create, but not members or viewers", async () => {
    const ws = await makeWorkspace();
    const admin = await addMember(ws, "ADMIN");
    const member = await addMember(ws, "MEMBER");
    const viewer = await addMember(ws, "VIEWER");
    await expect(
      callerFor(admin).project.create({ workspaceSlug: ws.slug, key: "ADM", name: "By admin" }),
    ).resolves.toMatchObject({ key: "ADM" });
    const byMember = await expectApiError(
      callerFor(member).project.create({ workspaceSlug: ws.slug, key: "MEM", name: "By member" }),
      "FORBIDDEN",
    );
    expect(byMember.message).toBe("You do not have permission to do that");
    await expectApiError(
      callerFor(viewer).project.create({ workspaceSlug: ws.slug, key: "VIE", name: "By viewer" }),
      "FORBIDDEN",
    );
    expect(await testDb().project.findMany({ where: { workspaceId: ws.id }, select: { key: true } })).toEqual([
      { key: "ADM" },
    ]);
  });

  it("answers UNAUTHORIZED when signed out and NOT_FOUND for a non-member", async () => {
    const ws = await makeWorkspace();
    await expectApiError(
      callerFor(null).project.create({ workspaceSlug: ws.slug, key: "WEB", name: "Web" }),
      "UNAUTHORIZED",
    );
    await expectApiError(callerFor(null).project.list({ workspaceSlug: ws.slug }), "UNAUTHORIZED");
    const outsider = await makeUser("outsider");
    await expectApiError(
      callerFor(outsider).project.create({ workspaceSlug: ws.slug, key: "WEB", name: "Web" }),
      "NOT_FOUND",
    );
    await expectApiError(callerFor(outsider).project.list({ workspaceSlug: ws.slug }), "NOT_FOUND");
    expect(await projectCount(ws)).toBe(0);
  });

  it("records a project.created event", async () => {
    const ws = await makeWorkspace();
    const project = await callerFor(ws.owner).project.create({
      workspaceSlug: ws.slug,
      key: "OPS",
      name: "Operations",
    });
    expect(await projectEvents(project.id)).toEqual([
      {
        action: "project.created",
        actorId: ws.owner.id,
        workspaceId: ws.id,
        taskId: null,
        before: null,
        after: { key: "OPS", name: "Operations" },
      },
    ]);
  });
});

describe("project.list and project.byKey", () => {
  it("counts open and done tasks per project (done = DONE and CANCELED, deleted tasks excluded)", async () => {
    const ws = await makeWorkspace();
    const owner = callerFor(ws.owner);
    const web = await makeProject(ws, "WEB");
    const api = await makeProject(ws, "API");
    const statuses = ["BACKLOG", "TODO", "TODO", "IN_PROGRESS", "IN_REVIEW", "DONE", "CANCELED"] as const;
    const webTasks = [];
    for (const status of statuses) webTasks.push(await makeTask(ws, web.id, { status }));
    await makeTask(ws, api.id, { status: "DONE" });

    const byKey = await owner.project.byKey({ workspaceSlug: ws.slug, key: "WEB" });
    expect(byKey).toMatchObject({ id: web.id, openCount: 5, doneCount: 2 });
    const list = await owner.project.list({ workspaceSlug: ws.slug });
    expect(list.map((p) => [p.key, p.openCount, p.doneCount])).toEqual([
      ["API", 0, 1],
      ["WEB", 5, 2],
    ]);

    // Deleting an open task and finishing another change the counts.
    const [backlog, todo] = webTasks;
    await owner.task.delete({ workspaceSlug: ws.slug, taskId: backlog!.id });
    await owner.task.update({
      workspaceSlug: ws.slug,
      taskId: todo!.id,
      version: todo!.version,
      patch: { status: "DONE" },
    });
    expect(await owner.project.byKey({ workspaceSlug: ws.slug, key: "web" })).toMatchObject({
      openCount: 3,
      doneCount: 3,
    });
    const after = await owner.project.list({ workspaceSlug: ws.slug });
    expect(after.map((p) => [p.key, p.openCount, p.doneCount])).toEqual([
      ["API", 0, 1],
      ["WEB", 3, 3],
    ]);
  });

  it("orders the list by name and lets viewers read it", async () => {
    const ws = await makeWorkspace();
    const owner = callerFor(ws.owner);
    await owner.project.create({ workspaceSlug: ws.slug, key: "ZED", name: "Zebra" });
    await owner.project.create({ workspaceSlug: ws.slug, key: "ALP", name: "Alpha" });
    await owner.project.create({ workspaceSlug: ws.slug, key: "MID", name: "Middle" });
    const viewer = await addMember(ws, "VIEWER");
    const list = await callerFor(viewer).project.list({ workspaceSlug: ws.slug });
    expect(list.map((p) => p.name)).toEqual(["Alpha", "Middle", "Zebra"]);
    await expect(callerFor(viewer).project.byKey({ workspaceSlug: ws.slug, key: "mid" })).resolves.toMatchObject({
      name: "Middle",
      openCount: 0,
      doneCount: 0,
    });
  });

  it("answers NOT_FOUND for an unknown key and BAD_REQUEST for a malformed one", async () => {
    const ws = await makeWorkspace();
    await makeProject(ws, "WEB");
    const owner = callerFor(ws.owner);
    const missing = await expectApiError(owner.project.byKey({ workspaceSlug: ws.slug, key: "NOPE" }), "NOT_FOUND");
    expect(missing.message).toBe("Project not found");
    const malformed = await expectApiError(owner.project.byKey({ workspaceSlug: ws.slug, key: "W-1" }), "BAD_REQUEST");
    expect(malformed.data.fieldErrors).toEqual({ key: [KEY_FORMAT] });
    const unknown = await expectApiError(
      owner.project.list({ workspaceSlug: ws.slug, archived: true } as never),
      "BAD_REQUEST",
    );
    expect(Object.keys(unknown.data.fieldErrors ?? {})).toEqual([""]);
  });
});

describe("project.update", () => {
  it("renames and re-describes, records only the changed fields, and keeps the counts", async () => {
    const ws = await makeWorkspace();
    const owner = callerFor(ws.owner);
    const project = await owner.project.create({ workspaceSlug: ws.slug, key: "WEB", name: "Web", description: "Old" });
    await makeTask(ws, project.id, { status: "DONE" });
    await makeTask(ws, project.id);

    const renamed = await owner.project.update({ workspaceSlug: ws.slug, projectId: project.id, name: "  Website  " });
    expect(renamed).toMatchObject({
      id: project.id,
      key: "WEB",
      name: "Website",
      description: "Old",
      openCount: 1,
      doneCount: 1,
    });
    const described = await owner.project.update({ workspaceSlug: ws.slug, projectId: project.id, description: "New" });
    expect(described).toMatchObject({ name: "Website", description: "New" });
    const both = await owner.project.update({
      workspaceSlug: ws.slug,
      projectId: project.id,
      name: "Site",
      description: "",
    });
    expect(both).toMatchObject({ name: "Site", description: "" });
    expect(await projectRow(project.id)).toMatchObject({ key: "WEB", name: "Site", description: "" });

    const events = await projectEvents(project.id);
    expect(events.map((e) => [e.action, e.before, e.after])).toEqual([
      ["project.created", null, { key: "WEB", name: "Web" }],
      ["project.updated", { name: "Web" }, { name: "Website" }],
      // Descriptions are recorded as their length, never their text.
      ["project.updated", { description: { length: 3 } }, { description: { length: 3 } }],
      [
        "project.updated",
        { name: "Website", description: { length: 3 } },
        { name: "Site", description: { length: 0 } },
      ],
    ]);
  });

  it("rejects an empty change, unknown fields and bad values", async () => {
    const ws = await makeWorkspace();
    const project = await makeProject(ws, "WEB");
    const owner = callerFor(ws.owner);
    const nothing = await expectApiError(
      owner.project.update({ workspaceSlug: ws.slug, projectId: project.id }),
      "BAD_REQUEST",
    );
    expect(nothing.data.fieldErrors).toEqual({ "": ["Give a new name or description"] });
    const key = await expectApiError(
      owner.project.update({ workspaceSlug: ws.slug, projectId: project.id, key: "NEW" } as never),
      "BAD_REQUEST",
    );
    expect(Object.keys(key.data.fieldErrors ?? {})).toEqual([""]);
    const empty = await expectApiError(
      owner.project.update({ workspaceSlug: ws.slug, projectId: project.id, name: " " }),
      "BAD_REQUEST",
    );
    expect(empty.data.fieldErrors).toEqual({ name: ["Required"] });
    const wrongType = await expectApiError(
      owner.project.update({ workspaceSlug: ws.slug, projectId: project.id, name: 7 } as never),
      "BAD_REQUEST",
    );
    expect(Object.keys(wrongType.data.fieldErrors ?? {})).toEqual(["name"]);
    const missing = await expectApiError(
      owner.project.update({ workspaceSlug: ws.slug, projectId: "no-such-project", name: "X" }),
      "NOT_FOUND",
    );
    expect(missing.message).toBe("Project not found");
    expect(await projectRow(project.id)).toMatchObject({ key: "WEB", name: "Project WEB" });
  });

  it("lets admins update, but not members or viewers", async () => {
    const ws = await makeWorkspace();
    const project = await makeProject(ws, "WEB");
    const admin = await addMember(ws, "ADMIN");
    const member = await addMember(ws, "MEMBER");
    const viewer = await addMember(ws, "VIEWER");
    await expect(
      callerFor(admin).project.update({ workspaceSlug: ws.slug, projectId: project.id, name: "By admin" }),
    ).resolves.toMatchObject({ name: "By admin" });
    await expectApiError(
      callerFor(member).project.update({ workspaceSlug: ws.slug, projectId: project.id, name: "By member" }),
      "FORBIDDEN",
    );
    await expectApiError(
      callerFor(viewer).project.update({ workspaceSlug: ws.slug, projectId: project.id, name: "By viewer" }),
      "FORBIDDEN",
    );
    expect((await projectRow(project.id)).name).toBe("By admin");
  });
});

describe("project.setArchived", () => {
  it("archives and unarchives, hiding archived projects from the default list", async () => {
    const ws = await makeWorkspace();
    const owner = callerFor(ws.owner);
    const alpha = await owner.project.create({ workspaceSlug: ws.slug, key: "ALP", name: "Alpha" });
    const beta = await owner.project.create({ workspaceSlug: ws.slug, key: "BET", name: "Beta" });
    const gamma = await owner.project.create({ workspaceSlug: ws.slug, key: "GAM", name: "Gamma" });

    const archived = await owner.project.setArchived({ workspaceSlug: ws.slug, projectId: alpha.id, archived: true });
    expect(archived.id).toBe(alpha.id);
    expect(archived.archivedAt).toBeInstanceOf(Date);
    const row = await projectRow(alpha.id);
    expect(row.archivedAt?.toISOString()).toBe(archived.archivedAt?.toISOString());

    expect((await owner.project.list({ workspaceSlug: ws.slug })).map((p) => p.key)).toEqual(["BET", "GAM"]);
    expect((await owner.project.list({ workspaceSlug: ws.slug, includeArchived: false })).map((p) => p.key)).toEqual([
      "BET",
      "GAM",
    ]);
    // Archived projects come after the active ones.
    const all = await owner.project.list({ workspaceSlug: ws.slug, includeArchived: true });
    expect(all.map((p) => [p.key, p.archivedAt === null])).toEqual([
      ["BET", true],
      ["GAM", true],
      ["ALP", false],
    ]);
    // Still reachable by key (e.g. old links).
    expect(await owner.project.byKey({ workspaceSlug: ws.slug, key: "ALP" })).toMatchObject({
      id: alpha.id,
      archivedAt: archived.archivedAt,
    });

    const restored = await owner.project.setArchived({ workspaceSlug: ws.slug, projectId: alpha.id, archived: false });
    expect(restored.archivedAt).toBeNull();
    expect((await projectRow(alpha.id)).archivedAt).toBeNull();
    expect((await owner.project.list({ workspaceSlug: ws.slug })).map((p) => p.key)).toEqual(["ALP", "BET", "GAM"]);
    expect([beta.archivedAt, gamma.archivedAt]).toEqual([null, null]);
  });

  it("records project.archived and project.unarchived events with the archive date", async () => {
    const ws = await makeWorkspace();
    const owner = callerFor(ws.owner);
    const project = await makeProject(ws, "OLD");
    const archived = await owner.project.setArchived({ workspaceSlug: ws.slug, projectId: project.id, archived: true });
    await owner.project.setArchived({ workspaceSlug: ws.slug, projectId: project.id, archived: false });
    const events = await projectEvents(project.id);
    expect(events).toEqual([
      {
        action: "project.created",
        actorId: ws.owner.id,
        workspaceId: ws.id,
        taskId: null,
        before: null,
        after: { key: "OLD", name: "Project OLD" },
      },
      {
        action: "project.archived",
        actorId: ws.owner.id,
        workspaceId: ws.id,
        taskId: null,
        before: { archivedAt: null },
        after: { archivedAt: archived.archivedAt?.toISOString() },
      },
      {
        action: "project.unarchived",
        actorId: ws.owner.id,
        workspaceId: ws.id,
        taskId: null,
        before: { archivedAt: archived.archivedAt?.toISOString() },
        after: { archivedAt: null },
      },
    ]);
  });

  it("refuses new tasks in an archived project without using up a task number", async () => {
    const ws = await makeWorkspace();
    const owner = callerFor(ws.owner);
    const project = await makeProject(ws, "ARC");
    const first = await makeTask(ws, project.id, { title: "Before archiving" });
    expect(first.ref).toBe("ARC-1");
    await owner.project.setArchived({ workspaceSlug: ws.slug, projectId: project.id, archived: true });

    const error = await expectApiError(
      owner.task.create({ workspaceSlug: ws.slug, projectId: project.id, title: "While archived" }),
      "PRECONDITION_FAILED",
    );
    expect(error.message).toBe("This project is archived; unarchive it to add tasks");
    const member = await addMember(ws, "MEMBER");
    await expectApiError(
      callerFor(member).task.create({ workspaceSlug: ws.slug, projectId: project.id, title: "While archived" }),
      "PRECONDITION_FAILED",
    );
    expect(await testDb().task.count({ where: { projectId: project.id } })).toBe(1);
    expect((await projectRow(project.id)).taskCounter).toBe(1);

    await owner.project.setArchived({ workspaceSlug: ws.slug, projectId: project.id, archived: false });
    const next = await makeTask(ws, project.id, { title: "After unarchiving" });
    expect(next).toMatchObject({ number: 2, ref: "ARC-2" });
  });

  it("lets admins archive, but not members or viewers", async () => {
    const ws = await makeWorkspace();
    const project = await makeProject(ws, "WEB");
    const admin = await addMember(ws, "ADMIN");
    const member = await addMember(ws, "MEMBER");
    const viewer = await addMember(ws, "VIEWER");
    await expectApiError(
      callerFor(member).project.setArchived({ workspaceSlug: ws.slug, projectId: project.id, archived: true }),
      "FORBIDDEN",
    );
    await expectApiError(
      callerFor(viewer).project.setArchived({ workspaceSlug: ws.slug, projectId: project.id, archived: true }),
      "FORBIDDEN",
    );
    expect((await projectRow(project.id)).archivedAt).toBeNull();
    const archived = await callerFor(admin).project.setArchived({
      workspaceSlug: ws.slug,
      projectId: project.id,
      archived: true,
    });
    expect(archived.archivedAt).toBeInstanceOf(Date);
    // Viewers still see archived projects when they ask for them.
    const all = await callerFor(viewer).project.list({ workspaceSlug: ws.slug, includeArchived: true });
    expect(all.map((p) => p.id)).toEqual([project.id]);
  });

  it("rejects a missing or non-boolean archived flag", async () => {
    const ws = await makeWorkspace();
    const project = await makeProject(ws, "WEB");
    const owner = callerFor(ws.owner);
    const missing = await expectApiError(
      owner.project.setArchived({ workspaceSlug: ws.slug, projectId: project.id } as never),
      "BAD_REQUEST",
    );
    expect(Object.keys(missing.data.fieldErrors ?? {})).toEqual(["archived"]);
    const wrongType = await expectApiError(
      owner.project.setArchived({ workspaceSlug: ws.slug, projectId: project.id, archived: "yes" } as never),
      "BAD_REQUEST",
    );
    expect(Object.keys(wrongType.data.fieldErrors ?? {})).toEqual(["archived"]);
    expect((await projectRow(project.id)).archivedAt).toBeNull();
  });
});

describe("tenancy", () => {
  it("answers NOT_FOUND for another workspace's project ids and keys used through one's own workspace", async () => {
    const a = await makeWorkspace();
    const b = await makeWorkspace();
    const ownA = await makeProject(a, "AAA");
    const theirs = await makeProject(b, "BBB");
    await makeTask(b, theirs.id, { title: "B's task" });
    const callerA = callerFor(a.owner);

    await expectApiError(callerA.project.byKey({ workspaceSlug: a.slug, key: "BBB" }), "NOT_FOUND");
    await expectApiError(
      callerA.project.update({ workspaceSlug: a.slug, projectId: theirs.id, name: "Hijacked" }),
      "NOT_FOUND",
    );
    await expectApiError(
      callerA.project.setArchived({ workspaceSlug: a.slug, projectId: theirs.id, archived: true }),
      "NOT_FOUND",
    );
    await expectApiError(
      callerA.task.create({ workspaceSlug: a.slug, projectId: theirs.id, title: "Smuggled" }),
      "NOT_FOUND",
    );
    // Using B's slug directly is no better: A's owner is not a member there.
    await expectApiError(callerA.project.byKey({ workspaceSlug: b.slug, key: "BBB" }), "NOT_FOUND");
    await expectApiError(callerA.project.list({ workspaceSlug: b.slug }), "NOT_FOUND");

    const listA = await callerA.project.list({ workspaceSlug: a.slug, includeArchived: true });
    expect(listA.map((p) => p.id)).toEqual([ownA.id]);

    const row = await projectRow(theirs.id);
    expect(row).toEqual({
      key: "BBB",
      name: "Project BBB",
      description: "",
      archivedAt: null,
      taskCounter: 1,
      workspaceId: b.id,
    });
    expect(await testDb().task.count({ where: { projectId: theirs.id } })).toBe(1);
    expect(
      await testDb().activityEvent.count({ where: { workspaceId: a.id, entityType: "project", entityId: theirs.id } }),
    ).toBe(0);
  });

  it("keeps task counts per workspace when keys coincide", async () => {
    const a = await makeWorkspace();
    const b = await makeWorkspace();
    const webA = await makeProject(a, "WEB");
    const webB = await makeProject(b, "WEB");
    await makeTask(a, webA.id);
    await makeTask(b, webB.id, { status: "DONE" });
    await makeTask(b, webB.id, { status: "DONE" });
    expect(await callerFor(a.owner).project.byKey({ workspaceSlug: a.slug, key: "WEB" })).toMatchObject({
      id: webA.id,
      openCount: 1,
      doneCount: 0,
    });
    expect(await callerFor(b.owner).project.byKey({ workspaceSlug: b.slug, key: "WEB" })).toMatchObject({
      id: webB.id,
      openCount: 0,
      doneCount: 2,
    });
  });
});
