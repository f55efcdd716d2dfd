import { beforeAll, describe, expect, it } from "vitest";
import "../setup/file-db";
import type { z } from "zod";
import { testDb } from "../setup/file-db";
import {
  addMember,
  callerFor,
  makeProject,
  makeTask,
  makeUser,
  makeWorkspace,
  uid,
  type TestUser,
  type TestWorkspace,
} from "../helpers/factories";
import { expectApiError } from "../helpers/errors";
import { type listTasksInput, taskDetailSchema } from "@/shared/schemas/task";
import { TASK_STATUSES, type TaskPriority, type TaskStatus } from "@/shared/tracker";

type Caller = ReturnType<typeof callerFor>;
type ListInput = z.input<typeof listTasksInput>;

const INVALID_CURSOR = ["This cursor is not valid for this list; start from the first page"];
const NOT_A_MEMBER = ["The assignee must be a member of this workspace"];
const FOREIGN_LABELS = ["Every label must belong to this workspace"];
const BAD_DATE = ["Use a date like 2026-12-31"];

async function setup(key = "WEB") {
  const ws = await makeWorkspace();
  const project = await makeProject(ws, key);
  return { ws, project, owner: callerFor(ws.owner) };
}

async function taskRow(taskId: string) {
  return testDb().task.findUniqueOrThrow({
    where: { id: taskId },
    select: {
      id: true,
      title: true,
      status: true,
      priority: true,
      position: true,
      version: true,
      number: true,
      assigneeId: true,
      dueDate: true,
      completedAt: true,
      deletedAt: true,
      workspaceId: true,
    },
  });
}

/** Every task's position in the project, read straight from the database. */
async function positionsOf(projectId: string): Promise<Record<string, string>> {
  const rows = await testDb().task.findMany({ where: { projectId }, select: { id: true, position: true } });
  return Object.fromEntries(rows.map((r) => [r.id, r.position]));
}

function withoutIds(record: Record<string, string>, ids: string[]): Record<string, string> {
  return Object.fromEntries(Object.entries(record).filter(([id]) => !ids.includes(id)));
}

async function taskEvents(taskId: string) {
  return testDb().activityEvent.findMany({
    where: { taskId },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: {
      action: true,
      actorId: true,
      workspaceId: true,
      entityType: true,
      entityId: true,
      before: true,
      after: true,
    },
  });
}

/** A board column as the board reads it: position order, through the API. */
async function column(caller: Caller, ws: TestWorkspace, projectId: string, status: TaskStatus): Promise<string[]> {
  const page = await caller.task.list({
    workspaceSlug: ws.slug,
    filter: { projectId, status: [status] },
    sort: "position",
    limit: 100,
  });
  expect(page.nextCursor).toBeNull();
  const positions = page.items.map((t) => t.position);
  expect(positions).toEqual([...positions].sort());
  return page.items.map((t) => t.id);
}

async function makeLabel(workspaceId: string, name: string) {
  return testDb().label.create({
    data: { workspaceId, name, color: "#3b82f6" },
    select: { id: true, name: true, color: true },
  });
}

/** Follows nextCursor with pages of 3 and returns the titles in order, checking page sizes. */
async function collectTitles(caller: Caller, input: Omit<ListInput, "cursor" | "limit">): Promise<string[]> {
  const titles: string[] = [];
  const sizes: number[] = [];
  let cursor: string | null = null;
  do {
    const page: { items: Array<{ title: string }>; nextCursor: string | null } = await caller.task.list({
      ...input,
      limit: 3,
      cursor,
    });
    titles.push(...page.items.map((t) => t.title));
    sizes.push(page.items.length);
    cursor = page.nextCursor;
    if (sizes.length > 20) throw new Error("pagination did not terminate");
  } while (cursor);
  // Every page but the last is full; the last is never empty unless nothing matched.
  const full = Math.floor(titles.length / 3);
  const rest = titles.length % 3;
  expect(sizes).toEqual(titles.length === 0 ? [0] : [...Array<number>(full).fill(3), ...(rest ? [rest] : [])]);
  return titles;
}

describe("task numbering and references", () => {
  it("numbers tasks sequentially per project and finds them by reference", async () => {
    const { ws, project, owner } = await setup("WEB");
    const other = await makeProject(ws, "API");
    const t1 = await makeTask(ws, project.id, { title: "First" });
    const t2 = await makeTask(ws, project.id, { title: "Second" });
    const o1 = await makeTask(ws, other.id, { title: "Other first" });
    const t3 = await makeTask(ws, project.id, { title: "Third" });
    expect([t1, t2, t3].map((t) => [t.number, t.ref, t.projectKey])).toEqual([
      [1, "WEB-1", "WEB"],
      [2, "WEB-2", "WEB"],
      [3, "WEB-3", "WEB"],
    ]);
    expect([o1.number, o1.ref]).toEqual([1, "API-1"]);

    const byRef = await owner.task.byRef({ workspaceSlug: ws.slug, ref: "web-3" });
    expect(byRef).toMatchObject({ id: t3.id, ref: "WEB-3", title: "Third", projectName: "Project WEB" });
    expect((await owner.task.byRef({ workspaceSlug: ws.slug, ref: "  WEB-1 " })).id).toBe(t1.id);
    expect((await owner.task.byRef({ workspaceSlug: ws.slug, ref: "api-1" })).id).toBe(o1.id);
    expect(await owner.task.get({ workspaceSlug: ws.slug, taskId: t2.id })).toEqual(
      await owner.task.byRef({ workspaceSlug: ws.slug, ref: "WEB-2" }),
    );

    const missing = await expectApiError(owner.task.byRef({ workspaceSlug: ws.slug, ref: "WEB-4" }), "NOT_FOUND");
    expect(missing.message).toBe("Task not found");
    await expectApiError(owner.task.byRef({ workspaceSlug: ws.slug, ref: "NOPE-1" }), "NOT_FOUND");
    const malformed = await expectApiError(owner.task.byRef({ workspaceSlug: ws.slug, ref: "WEB42" }), "BAD_REQUEST");
    expect(malformed.data.fieldErrors).toEqual({ ref: ["A task reference looks like WEB-42"] });
  });

  it("returns the full detail of a new task", async () => {
    const { ws, project, owner } = await setup("DET");
    const created = await owner.task.create({
      workspaceSlug: ws.slug,
      projectId: project.id,
      title: "  Write docs  ",
      description: "Some *markdown*",
    });
    expect(created).toMatchObject({
      number: 1,
      ref: "DET-1",
      projectId: project.id,
      projectKey: "DET",
      projectName: "Project DET",
      title: "Write docs",
      description: "Some *markdown*",
      status: "TODO",
      priority: "NONE",
      assignee: null,
      labels: [],
      dueDate: null,
      version: 1,
      completedAt: null,
    });
    expect(created.creator).toMatchObject({ id: ws.owner.id, email: ws.owner.email, handle: ws.owner.handle });
    expect(await owner.task.get({ workspaceSlug: ws.slug, taskId: created.id })).toEqual(created);
  });

  it("gives 50 parallel creates the numbers 1..50 exactly once", async () => {
    const { ws, project } = await setup("PAR");
    const created = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        callerFor(ws.owner).task.create({ workspaceSlug: ws.slug, projectId: project.id, title: `Parallel ${i}` }),
      ),
    );
    expect(created.map((t) => t.number).sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    for (const t of created) expect(t.ref).toBe(`PAR-${t.number}`);
    expect(new Set(created.map((t) => t.id)).size).toBe(50);

    const rows = await testDb().task.findMany({
      where: { projectId: project.id },
      select: { number: true, position: true },
    });
    expect(rows.map((r) => r.number).sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    // Creates are serialized by the project lock, so the column order is total too.
    expect(new Set(rows.map((r) => r.position)).size).toBe(50);
    expect(
      (await testDb().project.findUniqueOrThrow({ where: { id: project.id }, select: { taskCounter: true } }))
        .taskCounter,
    ).toBe(50);
  });
});

describe("idempotent creates", () => {
  it("returns the first task when the same key is sent twice in a row", async () => {
    const { ws, project, owner } = await setup("IDE");
    const first = await owner.task.create({
      workspaceSlug: ws.slug,
      projectId: project.id,
      title: "Once",
      idempotencyKey: "create-once-0001",
    });
    const again = await owner.task.create({
      workspaceSlug: ws.slug,
      projectId: project.id,
      title: "Once, retried with other text",
      idempotencyKey: "create-once-0001",
    });
    expect(again).toEqual(first);
    expect(again.title).toBe("Once");
    expect(await testDb().task.count({ where: { projectId: project.id } })).toBe(1);
    expect(await testDb().activityEvent.count({ where: { workspaceId: ws.id, action: "task.created" } })).toBe(1);
    // The retry did not burn a number.
    expect((await makeTask(ws, project.id)).number).toBe(2);
  });

  it("returns one task to concurrent retries with the same key", async () => {
    const { ws, project } = await setup("IDC");
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        callerFor(ws.owner).task.create({
          workspaceSlug: ws.slug,
          projectId: project.id,
          title: "Concurrent",
          idempotencyKey: "concurrent-key-42",
        }),
      ),
    );
    expect(new Set(results.map((t) => t.id)).size).toBe(1);
    expect(results.map((t) => t.number)).toEqual([1, 1, 1, 1, 1]);
    const rows = await testDb().task.findMany({
      where: { workspaceId: ws.id },
      select: { id: true, idempotencyKey: true },
    });
    expect(rows).toEqual([{ id: results[0]!.id, idempotencyKey: "concurrent-key-42" }]);
    expect(await testDb().activityEvent.count({ where: { workspaceId: ws.id, action: "task.created" } })).toBe(1);
    expect((await makeTask(ws, project.id)).number).toBe(2);
  });

  it("scopes keys to the creator and the workspace", async () => {
    const { ws, project, owner } = await setup("IDU");
    const member = await addMember(ws, "MEMBER");
    const key = "shared-key-0001";
    const mine = await owner.task.create({
      workspaceSlug: ws.slug,
      projectId: project.id,
      title: "Owner's",
      idempotencyKey: key,
    });
    const theirs = await callerFor(member).task.create({
      workspaceSlug: ws.slug,
      projectId: project.id,
      title: "Member's",
      idempotencyKey: key,
    });
    expect(theirs.id).not.toBe(mine.id);
    expect([mine.number, mine.title, theirs.number, theirs.title]).toEqual([1, "Owner's", 2, "Member's"]);
    expect(theirs.creator.id).toBe(member.id);

    // The same user and key in another workspace is another task.
    const elsewhere = await makeWorkspace(ws.owner);
    const elsewhereProject = await makeProject(elsewhere, "IDU");
    const inOther = await owner.task.create({
      workspaceSlug: elsewhere.slug,
      projectId: elsewhereProject.id,
      title: "Elsewhere",
      idempotencyKey: key,
    });
    expect(inOther.id).not.toBe(mine.id);
    expect(await testDb().task.count({ where: { idempotencyKey: key, creatorId: ws.owner.id } })).toBe(2);
  });

  it("answers CONFLICT when the task created with the key was deleted", async () => {
    const { ws, project, owner } = await setup("IDD");
    const created = await owner.task.create({
      workspaceSlug: ws.slug,
      projectId: project.id,
      title: "Short-lived",
      idempotencyKey: "deleted-key-01",
    });
    await owner.task.delete({ workspaceSlug: ws.slug, taskId: created.id });
    const error = await expectApiError(
      owner.task.create({
        workspaceSlug: ws.slug,
        projectId: project.id,
        title: "Short-lived",
        idempotencyKey: "deleted-key-01",
      }),
      "CONFLICT",
    );
    expect(error.message).toBe("The task created with this idempotency key has since been deleted");
    expect(await testDb().task.count({ where: { projectId: project.id } })).toBe(1);
  });

  it("validates the key", async () => {
    const { ws, project, owner } = await setup("IDV");
    const short = await expectApiError(
      owner.task.create({ workspaceSlug: ws.slug, projectId: project.id, title: "x", idempotencyKey: "short" }),
      "BAD_REQUEST",
    );
    expect(short.data.fieldErrors).toEqual({ idempotencyKey: ["Use at least 8 characters"] });
    const symbols = await expectApiError(
      owner.task.create({
        workspaceSlug: ws.slug,
        projectId: project.id,
        title: "x",
        idempotencyKey: "has spaces in it",
      }),
      "BAD_REQUEST",
    );
    expect(symbols.data.fieldErrors).toEqual({ idempotencyKey: ["Letters, digits and _.:- only"] });
    expect(await testDb().task.count({ where: { projectId: project.id } })).toBe(0);
  });
});

describe("optimistic concurrency", () => {
  it("bumps the version on a change and answers CONFLICT with the current task for a stale one", async () => {
    const { ws, project, owner } = await setup("OCC");
    const task = await makeTask(ws, project.id, { title: "Original" });
    expect(task.version).toBe(1);

    const updated = await owner.task.update({
      workspaceSlug: ws.slug,
      taskId: task.id,
      version: 1,
      patch: { title: "Renamed" },
    });
    expect(updated).toMatchObject({ id: task.id, title: "Renamed", version: 2 });

    const member = await addMember(ws, "MEMBER");
    const stale = await expectApiError(
      callerFor(member).task.update({
        workspaceSlug: ws.slug,
        taskId: task.id,
        version: 1,
        patch: { title: "Stale write" },
      }),
      "CONFLICT",
    );
    expect(stale.message).toBe("This task was changed by someone else since you loaded it");
    const current = taskDetailSchema.parse(stale.data.details?.current);
    expect(current).toMatchObject({ id: task.id, title: "Renamed", version: 2, ref: "OCC-1" });
    expect(await taskRow(task.id)).toMatchObject({ title: "Renamed", version: 2 });

    // A version from the future is just as stale.
    await expectApiError(
      owner.task.update({ workspaceSlug: ws.slug, taskId: task.id, version: 3, patch: { title: "Future" } }),
      "CONFLICT",
    );

    const again = await owner.task.update({
      workspaceSlug: ws.slug,
      taskId: task.id,
      version: 2,
      patch: { priority: "HIGH" },
    });
    expect(again).toMatchObject({ title: "Renamed", priority: "HIGH", version: 3 });
  });

  it("keeps the version when an update changes nothing", async () => {
    const { ws, project, owner } = await setup("NOP");
    const task = await owner.task.create({
      workspaceSlug: ws.slug,
      projectId: project.id,
      title: "Same",
      priority: "LOW",
      dueDate: "2026-06-01",
    });
    const eventsBefore = await taskEvents(task.id);
    const same = await owner.task.update({
      workspaceSlug: ws.slug,
      taskId: task.id,
      version: 1,
      patch: {
        title: "  Same  ",
        priority: "LOW",
        status: "TODO",
        dueDate: "2026-06-01",
        assigneeId: null,
        labelIds: [],
        description: "",
      },
    });
    expect(same.version).toBe(1);
    expect(same.updatedAt).toEqual(task.updatedAt);
    expect(await taskRow(task.id)).toMatchObject({ version: 1, title: "Same" });
    expect(await taskEvents(task.id)).toEqual(eventsBefore);
  });

  it("lets exactly one of two concurrent updates at the same version win", async () => {
    const { ws, project } = await setup("RACE");
    const member = await addMember(ws, "MEMBER");
    const task = await makeTask(ws, project.id, { title: "Contested" });
    const outcomes = await Promise.allSettled([
      callerFor(ws.owner).task.update({
        workspaceSlug: ws.slug,
        taskId: task.id,
        version: 1,
        patch: { title: "Owner wins" },
      }),
      callerFor(member).task.update({
        workspaceSlug: ws.slug,
        taskId: task.id,
        version: 1,
        patch: { title: "Member wins" },
      }),
    ]);
    const winners = outcomes.flatMap((o) => (o.status === "fulfilled" ? [o.value] : []));
    const losers = outcomes.flatMap((o) => (o.status === "rejected" ? [o.reason as Error] : []));
    expect(winners).toHaveLength(1);
    expect(losers).toHaveLength(1);
    const conflict = await expectApiError(Promise.reject(losers[0]!), "CONFLICT");
    expect(taskDetailSchema.parse(conflict.data.details?.current)).toMatchObject({
      title: winners[0]!.title,
      version: 2,
    });
    expect(await taskRow(task.id)).toMatchObject({ title: winners[0]!.title, version: 2 });
    expect((await taskEvents(task.id)).map((e) => e.action)).toEqual(["task.created", "task.updated"]);
  });
});

describe("field-level conflicts", () => {
  it("applies a stale title edit after a board move, keeping the move", async () => {
    const { ws, project, owner } = await setup("FLM");
    const member = await addMember(ws, "MEMBER");
    const task = await makeTask(ws, project.id, { title: "Draft" });
    // The member opened the task at version 1; meanwhile the owner moved it on the board.
    await owner.task.move({ workspaceSlug: ws.slug, taskId: task.id, status: "IN_PROGRESS" });
    const edited = await callerFor(member).task.update({
      workspaceSlug: ws.slug,
      taskId: task.id,
      version: 1,
      patch: { title: "Final" },
    });
    expect(edited).toMatchObject({ title: "Final", status: "IN_PROGRESS", version: 3 });
    expect(await taskRow(task.id)).toMatchObject({ title: "Final", status: "IN_PROGRESS", version: 3 });
    expect((await taskEvents(task.id)).map((e) => [e.action, e.after])).toEqual([
      [
        "task.created",
        { title: "Draft", status: "TODO", priority: "NONE", assigneeId: null, dueDate: null, labels: [] },
      ],
      ["task.updated", { status: "IN_PROGRESS" }],
      ["task.updated", { title: "Final" }],
    ]);
    // A reorder within the column does not conflict with anything either.
    await owner.task.move({ workspaceSlug: ws.slug, taskId: task.id, status: "IN_PROGRESS", afterTaskId: null });
    await expect(
      callerFor(member).task.update({
        workspaceSlug: ws.slug,
        taskId: task.id,
        version: 3,
        patch: { priority: "HIGH" },
      }),
    ).resolves.toMatchObject({ priority: "HIGH", version: 5 });
  });

  it("merges stale edits of different fields and refuses stale edits of the same field, naming it", async () => {
    const { ws, project, owner } = await setup("FLF");
    const member = await addMember(ws, "MEMBER");
    const task = await makeTask(ws, project.id, { title: "Shared" });
    await owner.task.update({ workspaceSlug: ws.slug, taskId: task.id, version: 1, patch: { title: "Owner's title" } });
    // Another field, from the same stale version: merged.
    const merged = await callerFor(member).task.update({
      workspaceSlug: ws.slug,
      taskId: task.id,
      version: 1,
      patch: { priority: "URGENT" },
    });
    expect(merged).toMatchObject({ title: "Owner's title", priority: "URGENT", version: 3 });

    // The same field, from the same stale version: CONFLICT with the current task.
    const stale = await expectApiError(
      callerFor(member).task.update({
        workspaceSlug: ws.slug,
        taskId: task.id,
        version: 1,
        patch: { title: "Member's title", dueDate: "2027-01-01" },
      }),
      "CONFLICT",
    );
    expect(stale.message).toBe("This task was changed by someone else since you loaded it");
    expect(taskDetailSchema.parse(stale.data.details?.current)).toMatchObject({
      title: "Owner's title",
      priority: "URGENT",
      version: 3,
      dueDate: null,
    });
    expect(stale.data.details?.fields).toEqual(["title"]);
    // Nothing of the refused edit was applied, not even its other field.
    expect(await taskRow(task.id)).toMatchObject({ title: "Owner's title", version: 3, dueDate: null });

    // From version 2 (after the title change) the title is free again, but the priority is not.
    const fromTwo = await expectApiError(
      callerFor(member).task.update({
        workspaceSlug: ws.slug,
        taskId: task.id,
        version: 2,
        patch: { title: "Member's title", priority: "LOW" },
      }),
      "CONFLICT",
    );
    expect(fromTwo.data.details?.fields).toEqual(["priority"]);
    await expect(
      callerFor(member).task.update({
        workspaceSlug: ws.slug,
        taskId: task.id,
        version: 2,
        patch: { title: "Member's title" },
      }),
    ).resolves.toMatchObject({ title: "Member's title", version: 4 });
    // Setting a field to the value it already has is no conflict (and no change).
    await expect(
      callerFor(ws.owner).task.update({
        workspaceSlug: ws.slug,
        taskId: task.id,
        version: 1,
        patch: { title: "Member's title" },
      }),
    ).resolves.toMatchObject({ version: 4 });
  });

  it("treats a move's new column as a change of status, and labels by their patch key", async () => {
    const { ws, project, owner } = await setup("FLS");
    const bug = await makeLabel(ws.id, "bug");
    const task = await makeTask(ws, project.id, { title: "Column" });
    await owner.task.move({ workspaceSlug: ws.slug, taskId: task.id, status: "DONE" });
    const status = await expectApiError(
      owner.task.update({ workspaceSlug: ws.slug, taskId: task.id, version: 1, patch: { status: "IN_REVIEW" } }),
      "CONFLICT",
    );
    expect(status.data.details?.fields).toEqual(["status"]);
    expect((await taskRow(task.id)).status).toBe("DONE");

    await owner.task.update({ workspaceSlug: ws.slug, taskId: task.id, version: 2, patch: { labelIds: [bug.id] } });
    const labels = await expectApiError(
      owner.task.update({ workspaceSlug: ws.slug, taskId: task.id, version: 2, patch: { labelIds: [] } }),
      "CONFLICT",
    );
    expect(labels.data.details?.fields).toEqual(["labelIds"]);
  });

  it("conflicts on every field when the stored change versions are unreadable", async () => {
    const { ws, project, owner } = await setup("FLU");
    const task = await makeTask(ws, project.id, { title: "Unknown history" });
    await owner.task.update({ workspaceSlug: ws.slug, taskId: task.id, version: 1, patch: { priority: "LOW" } });
    await testDb().task.update({ where: { id: task.id }, data: { fieldVersions: "garbage" } });
    const error = await expectApiError(
      owner.task.update({ workspaceSlug: ws.slug, taskId: task.id, version: 1, patch: { title: "Anything" } }),
      "CONFLICT",
    );
    expect(error.data.details?.fields).toEqual(["title"]);
    await expect(
      owner.task.update({ workspaceSlug: ws.slug, taskId: task.id, version: 2, patch: { title: "Anything" } }),
    ).resolves.toMatchObject({ title: "Anything", version: 3 });
  });

  it("never loses an edit or a move made at the same time (20 rounds in parallel)", async () => {
    const { ws, project } = await setup("FLP");
    const member = await addMember(ws, "MEMBER");
    const other = await makeTask(ws, project.id, { title: "Neighbour", status: "IN_PROGRESS" });
    const task = await makeTask(ws, project.id, { title: "Round 0" });
    const statuses: TaskStatus[] = ["IN_PROGRESS", "TODO"];
    for (let round = 1; round <= 20; round++) {
      const { version } = await taskRow(task.id);
      const status = statuses[(round + 1) % 2]!;
      const [edited, moved] = await Promise.all([
        callerFor(member).task.update({
          workspaceSlug: ws.slug,
          taskId: task.id,
          version,
          patch: { title: `Round ${round}` },
        }),
        callerFor(ws.owner).task.move({
          workspaceSlug: ws.slug,
          taskId: task.id,
          status,
          afterTaskId: status === "IN_PROGRESS" ? other.id : null,
        }),
      ]);
      expect(edited.id).toBe(task.id);
      expect(moved.status).toBe(status);
      expect(await taskRow(task.id)).toMatchObject({ title: `Round ${round}`, status, version: version + 2 });
    }
    const events = await taskEvents(task.id);
    expect(events.filter((e) => e.action === "task.updated" && e.after && "title" in (e.after as object))).toHaveLength(
      20,
    );
    expect(
      events.filter((e) => e.action === "task.updated" && e.after && "status" in (e.after as object)),
    ).toHaveLength(20);
  });
});

describe("assignees, labels and due dates", () => {
  it("accepts members as assignees and rejects anyone else", async () => {
    const { ws, project, owner } = await setup("ASG");
    const member = await addMember(ws, "MEMBER");
    const viewer = await addMember(ws, "VIEWER");
    const stranger = await makeUser("stranger");
    const elsewhere = await makeWorkspace();

    const assigned = await owner.task.create({
      workspaceSlug: ws.slug,
      projectId: project.id,
      title: "Assigned",
      assigneeId: member.id,
    });
    expect(assigned.assignee).toMatchObject({ id: member.id, email: member.email, handle: member.handle });
    expect(
      await testDb().notification.count({ where: { userId: member.id, taskId: assigned.id, type: "ASSIGNED" } }),
    ).toBe(1);

    const toStranger = await expectApiError(
      owner.task.create({ workspaceSlug: ws.slug, projectId: project.id, title: "Nope", assigneeId: stranger.id }),
      "BAD_REQUEST",
    );
    expect(toStranger.message).toBe("Invalid assignee");
    expect(toStranger.data.fieldErrors).toEqual({ assigneeId: NOT_A_MEMBER });
    const toOtherTenant = await expectApiError(
      owner.task.create({
        workspaceSlug: ws.slug,
        projectId: project.id,
        title: "Nope",
        assigneeId: elsewhere.owner.id,
      }),
      "BAD_REQUEST",
    );
    expect(toOtherTenant.data.fieldErrors).toEqual({ assigneeId: NOT_A_MEMBER });
    // The failed creates rolled back: no rows and no numbers used.
    expect(await testDb().task.count({ where: { projectId: project.id } })).toBe(1);
    expect((await makeTask(ws, project.id)).number).toBe(2);

    const badUpdate = await expectApiError(
      owner.task.update({
        workspaceSlug: ws.slug,
        taskId: assigned.id,
        version: 1,
        patch: { assigneeId: stranger.id },
      }),
      "BAD_REQUEST",
    );
    expect(badUpdate.data.fieldErrors).toEqual({ assigneeId: NOT_A_MEMBER });
    expect(await taskRow(assigned.id)).toMatchObject({ assigneeId: member.id, version: 1 });

    const toViewer = await owner.task.update({
      workspaceSlug: ws.slug,
      taskId: assigned.id,
      version: 1,
      patch: { assigneeId: viewer.id },
    });
    expect(toViewer.assignee?.id).toBe(viewer.id);
    const unassigned = await owner.task.update({
      workspaceSlug: ws.slug,
      taskId: assigned.id,
      version: 2,
      patch: { assigneeId: null },
    });
    expect(unassigned).toMatchObject({ assignee: null, version: 3 });
    expect((await taskRow(assigned.id)).assigneeId).toBeNull();
  });

  it("only accepts labels of the workspace", async () => {
    const { ws, project, owner } = await setup("LBL");
    const other = await makeWorkspace();
    const bug = await makeLabel(ws.id, "bug");
    const foreign = await makeLabel(other.id, "foreign");

    for (const labelIds of [[foreign.id], [bug.id, foreign.id], ["no-such-label"]]) {
      const error = await expectApiError(
        owner.task.create({ workspaceSlug: ws.slug, projectId: project.id, title: "Labelled", labelIds }),
        "BAD_REQUEST",
      );
      expect(error.message).toBe("Invalid labels");
      expect(error.data.fieldErrors).toEqual({ labelIds: FOREIGN_LABELS });
    }
    expect(await testDb().task.count({ where: { projectId: project.id } })).toBe(0);

    const task = await owner.task.create({
      workspaceSlug: ws.slug,
      projectId: project.id,
      title: "Labelled",
      labelIds: [bug.id],
    });
    const error = await expectApiError(
      owner.task.update({
        workspaceSlug: ws.slug,
        taskId: task.id,
        version: 1,
        patch: { labelIds: [bug.id, foreign.id] },
      }),
      "BAD_REQUEST",
    );
    expect(error.data.fieldErrors).toEqual({ labelIds: FOREIGN_LABELS });
    expect(await testDb().taskLabel.findMany({ where: { taskId: task.id }, select: { labelId: true } })).toEqual([
      { labelId: bug.id },
    ]);
    expect((await taskRow(task.id)).version).toBe(1);

    const duplicate = await expectApiError(
      owner.task.update({ workspaceSlug: ws.slug, taskId: task.id, version: 1, patch: { labelIds: [bug.id, bug.id] } }),
      "BAD_REQUEST",
    );
    expect(duplicate.data.fieldErrors).toEqual({ "patch.labelIds": ["Duplicate labels"] });
  });

  it("replaces the label set on update", async () => {
    const { ws, project, owner } = await setup("LBR");
    const bug = await makeLabel(ws.id, "bug");
    const feature = await makeLabel(ws.id, "feature");
    const ui = await makeLabel(ws.id, "ui");

    const task = await owner.task.create({
      workspaceSlug: ws.slug,
      projectId: project.id,
      title: "Labels",
      labelIds: [ui.id, bug.id],
    });
    expect(task.labels).toEqual([bug, ui]);

    const swapped = await owner.task.update({
      workspaceSlug: ws.slug,
      taskId: task.id,
      version: 1,
      patch: { labelIds: [feature.id, ui.id] },
    });
    expect(swapped.labels).toEqual([feature, ui]);
    expect(swapped.version).toBe(2);
    const stored = await testDb().taskLabel.findMany({ where: { taskId: task.id }, select: { labelId: true } });
    expect(stored.map((r) => r.labelId).sort()).toEqual([feature.id, ui.id].sort());

    const added = await owner.task.update({
      workspaceSlug: ws.slug,
      taskId: task.id,
      version: 2,
      patch: { labelIds: [ui.id, feature.id, bug.id] },
    });
    expect(added.labels).toEqual([bug, feature, ui]);

    const cleared = await owner.task.update({
      workspaceSlug: ws.slug,
      taskId: task.id,
      version: 3,
      patch: { labelIds: [] },
    });
    expect(cleared.labels).toEqual([]);
    expect(await testDb().taskLabel.count({ where: { taskId: task.id } })).toBe(0);

    const events = await taskEvents(task.id);
    expect(events.map((e) => [e.action, e.before, e.after])).toEqual([
      [
        "task.created",
        null,
        { title: "Labels", status: "TODO", priority: "NONE", assigneeId: null, dueDate: null, labels: ["bug", "ui"] },
      ],
      ["task.updated", { labels: ["bug", "ui"] }, { labels: ["feature", "ui"] }],
      ["task.updated", { labels: ["feature", "ui"] }, { labels: ["bug", "feature", "ui"] }],
      ["task.updated", { labels: ["bug", "feature", "ui"] }, { labels: [] }],
    ]);
  });

  it("round-trips calendar due dates and rejects impossible ones", async () => {
    const { ws, project, owner } = await setup("DUE");
    const task = await owner.task.create({
      workspaceSlug: ws.slug,
      projectId: project.id,
      title: "Due",
      dueDate: "2026-12-31",
    });
    expect(task.dueDate).toBe("2026-12-31");
    expect((await owner.task.get({ workspaceSlug: ws.slug, taskId: task.id })).dueDate).toBe("2026-12-31");
    expect((await owner.task.byRef({ workspaceSlug: ws.slug, ref: task.ref })).dueDate).toBe("2026-12-31");
    expect((await taskRow(task.id)).dueDate?.toISOString()).toBe("2026-12-31T00:00:00.000Z");
    const listed = await owner.task.list({ workspaceSlug: ws.slug });
    expect(listed.items.map((t) => t.dueDate)).toEqual(["2026-12-31"]);

    const moved = await owner.task.update({
      workspaceSlug: ws.slug,
      taskId: task.id,
      version: 1,
      patch: { dueDate: "2028-02-29" },
    });
    expect(moved.dueDate).toBe("2028-02-29");
    const cleared = await owner.task.update({
      workspaceSlug: ws.slug,
      taskId: task.id,
      version: 2,
      patch: { dueDate: null },
    });
    expect(cleared.dueDate).toBeNull();
    expect((await taskRow(task.id)).dueDate).toBeNull();

    for (const dueDate of ["2026-13-45", "2026-02-30", "2027-02-29", "31/12/2026", "2026-12-31T10:00:00Z"]) {
      const onCreate = await expectApiError(
        owner.task.create({ workspaceSlug: ws.slug, projectId: project.id, title: "Bad due", dueDate }),
        "BAD_REQUEST",
      );
      expect(onCreate.data.fieldErrors).toEqual({ dueDate: BAD_DATE });
      const onUpdate = await expectApiError(
        owner.task.update({ workspaceSlug: ws.slug, taskId: task.id, version: 3, patch: { dueDate } }),
        "BAD_REQUEST",
      );
      expect(onUpdate.data.fieldErrors).toEqual({ "patch.dueDate": BAD_DATE });
    }
    expect(await testDb().task.count({ where: { projectId: project.id } })).toBe(1);
    expect((await taskRow(task.id)).version).toBe(3);
  });
});

describe("completedAt", () => {
  it("is set when a task is finished and cleared when it is reopened", async () => {
    const { ws, project, owner } = await setup("CMP");
    const task = await makeTask(ws, project.id, { title: "Finish me" });
    expect((await taskRow(task.id)).completedAt).toBeNull();

    const done = await owner.task.update({
      workspaceSlug: ws.slug,
      taskId: task.id,
      version: 1,
      patch: { status: "DONE" },
    });
    const doneRow = await taskRow(task.id);
    expect(doneRow.status).toBe("DONE");
    expect(doneRow.completedAt).toBeInstanceOf(Date);
    expect(done.completedAt).toEqual(doneRow.completedAt);

    // DONE → CANCELED stays closed and keeps the original completion time.
    await owner.task.update({ workspaceSlug: ws.slug, taskId: task.id, version: 2, patch: { status: "CANCELED" } });
    expect((await taskRow(task.id)).completedAt).toEqual(doneRow.completedAt);

    const reopened = await owner.task.update({
      workspaceSlug: ws.slug,
      taskId: task.id,
      version: 3,
      patch: { status: "TODO" },
    });
    expect(reopened.completedAt).toBeNull();
    expect(await taskRow(task.id)).toMatchObject({ status: "TODO", completedAt: null, version: 4 });

    // Moving on the board does the same.
    await owner.task.move({ workspaceSlug: ws.slug, taskId: task.id, status: "DONE" });
    expect((await taskRow(task.id)).completedAt).toBeInstanceOf(Date);
    await owner.task.move({ workspaceSlug: ws.slug, taskId: task.id, status: "IN_PROGRESS" });
    expect((await taskRow(task.id)).completedAt).toBeNull();
  });

  it("is set for a task created already done", async () => {
    const { ws, project } = await setup("CMD");
    const task = await makeTask(ws, project.id, { status: "DONE" });
    const row = await taskRow(task.id);
    expect(row.completedAt).toBeInstanceOf(Date);
    expect(task.completedAt).toEqual(row.completedAt);
    const open = await makeTask(ws, project.id, { status: "IN_REVIEW" });
    expect((await taskRow(open.id)).completedAt).toBeNull();
  });
});

describe("board moves", () => {
  it("reorders within a column and across columns without touching other tasks", async () => {
    const { ws, project, owner } = await setup("BRD");
    const t: Array<{ id: string }> = [];
    for (const title of ["T1", "T2", "T3", "T4", "T5"]) t.push(await makeTask(ws, project.id, { title }));
    const [t1, t2, t3, t4, t5] = t.map((x) => x.id) as [string, string, string, string, string];
    expect(await column(owner, ws, project.id, "TODO")).toEqual([t1, t2, t3, t4, t5]);

    // The last to the top.
    let before = await positionsOf(project.id);
    const top = await owner.task.move({ workspaceSlug: ws.slug, taskId: t5, status: "TODO", afterTaskId: null });
    expect(top).toMatchObject({ id: t5, status: "TODO", version: 2 });
    expect(await column(owner, ws, project.id, "TODO")).toEqual([t5, t1, t2, t3, t4]);
    let after = await positionsOf(project.id);
    expect(withoutIds(after, [t5])).toEqual(withoutIds(before, [t5]));
    expect(after[t5]).toBe(top.position);

    // Between two others: T1 directly below T3.
    before = after;
    await owner.task.move({ workspaceSlug: ws.slug, taskId: t1, status: "TODO", afterTaskId: t3 });
    expect(await column(owner, ws, project.id, "TODO")).toEqual([t5, t2, t3, t1, t4]);
    after = await positionsOf(project.id);
    expect(withoutIds(after, [t1])).toEqual(withoutIds(before, [t1]));
    expect(after[t3]! < after[t1]! && after[t1]! < after[t4]!).toBe(true);

    // To another column (no afterTaskId: the top of that column).
    before = after;
    const across = await owner.task.move({ workspaceSlug: ws.slug, taskId: t2, status: "IN_PROGRESS" });
    expect(across).toMatchObject({ id: t2, status: "IN_PROGRESS", version: 2 });
    expect(await column(owner, ws, project.id, "TODO")).toEqual([t5, t3, t1, t4]);
    expect(await column(owner, ws, project.id, "IN_PROGRESS")).toEqual([t2]);
    after = await positionsOf(project.id);
    expect(withoutIds(after, [t2])).toEqual(withoutIds(before, [t2]));

    // Below a task in the other column, then to the bottom of this one.
    before = after;
    await owner.task.move({ workspaceSlug: ws.slug, taskId: t4, status: "IN_PROGRESS", afterTaskId: t2 });
    await owner.task.move({ workspaceSlug: ws.slug, taskId: t3, status: "TODO", afterTaskId: t1 });
    expect(await column(owner, ws, project.id, "TODO")).toEqual([t5, t1, t3]);
    expect(await column(owner, ws, project.id, "IN_PROGRESS")).toEqual([t2, t4]);
    after = await positionsOf(project.id);
    expect(withoutIds(after, [t3, t4])).toEqual(withoutIds(before, [t3, t4]));

    expect(await owner.task.statusCounts({ workspaceSlug: ws.slug, projectId: project.id })).toEqual({
      BACKLOG: 0,
      TODO: 3,
      IN_PROGRESS: 2,
      IN_REVIEW: 0,
      DONE: 0,
      CANCELED: 0,
    });
    // Moves keep the task's number, title and everything else.
    expect(await taskRow(t4)).toMatchObject({ number: 4, title: "T4", status: "IN_PROGRESS", version: 2 });
  });

  it("records a reorder as task.reordered and a column change as task.updated", async () => {
    const { ws, project, owner } = await setup("MVA");
    const a = await makeTask(ws, project.id, { title: "A" });
    const b = await makeTask(ws, project.id, { title: "B" });
    const reordered = await owner.task.move({
      workspaceSlug: ws.slug,
      taskId: b.id,
      status: "TODO",
      afterTaskId: null,
    });
    await owner.task.move({ workspaceSlug: ws.slug, taskId: b.id, status: "IN_REVIEW", afterTaskId: null });
    const events = await taskEvents(b.id);
    expect(events.map((e) => [e.action, e.before, e.after])).toEqual([
      [
        "task.created",
        null,
        { title: "B", status: "TODO", priority: "NONE", assigneeId: null, dueDate: null, labels: [] },
      ],
      ["task.reordered", { position: b.position }, { position: reordered.position }],
      ["task.updated", { status: "TODO" }, { status: "IN_REVIEW" }],
    ]);
    expect(reordered.position < a.position).toBe(true);
    for (const e of events)
      expect(e).toMatchObject({ actorId: ws.owner.id, workspaceId: ws.id, entityType: "task", entityId: b.id });
  });

  it("rejects moving after a task in another column, another project, or itself", async () => {
    const { ws, project, owner } = await setup("MVX");
    const otherProject = await makeProject(ws, "OTH");
    const todo = await makeTask(ws, project.id, { title: "Todo" });
    const doing = await makeTask(ws, project.id, { title: "Doing", status: "IN_PROGRESS" });
    const elsewhere = await makeTask(ws, otherProject.id, { title: "Elsewhere" });
    const before = await taskRow(todo.id);

    const wrongColumn = await expectApiError(
      owner.task.move({ workspaceSlug: ws.slug, taskId: todo.id, status: "TODO", afterTaskId: doing.id }),
      "CONFLICT",
    );
    expect(wrongColumn.message).toBe("The board changed while you were moving this task; refresh and try again");
    await expectApiError(
      owner.task.move({ workspaceSlug: ws.slug, taskId: doing.id, status: "DONE", afterTaskId: todo.id }),
      "CONFLICT",
    );
    await expectApiError(
      owner.task.move({ workspaceSlug: ws.slug, taskId: todo.id, status: "TODO", afterTaskId: elsewhere.id }),
      "CONFLICT",
    );
    await expectApiError(
      owner.task.move({ workspaceSlug: ws.slug, taskId: todo.id, status: "TODO", afterTaskId: "no-such-task" }),
      "CONFLICT",
    );
    const self = await expectApiError(
      owner.task.move({ workspaceSlug: ws.slug, taskId: todo.id, status: "TODO", afterTaskId: todo.id }),
      "BAD_REQUEST",
    );
    expect(self.data.fieldErrors).toEqual({ afterTaskId: ["Pick a different task"] });
    await expectApiError(
      owner.task.move({ workspaceSlug: ws.slug, taskId: "no-such-task", status: "TODO" }),
      "NOT_FOUND",
    );
    const badStatus = await expectApiError(
      owner.task.move({ workspaceSlug: ws.slug, taskId: todo.id, status: "DOING" } as never),
      "BAD_REQUEST",
    );
    expect(Object.keys(badStatus.data.fieldErrors ?? {})).toEqual(["status"]);

    expect(await taskRow(todo.id)).toEqual(before);
    expect((await taskRow(doing.id)).status).toBe("IN_PROGRESS");
    expect((await taskEvents(todo.id)).map((e) => e.action)).toEqual(["task.created"]);
  });

  it("gives 20 concurrent moves into one column distinct positions in a total order", async () => {
    const { ws, project, owner } = await setup("CON");
    const anchor = await makeTask(ws, project.id, { title: "Anchor", status: "IN_PROGRESS" });
    const tasks = [];
    for (let i = 0; i < 20; i++) tasks.push(await makeTask(ws, project.id, { title: `Mover ${i}` }));
    const moved = await Promise.all(
      tasks.map((t, i) =>
        callerFor(ws.owner).task.move({
          workspaceSlug: ws.slug,
          taskId: t.id,
          status: "IN_PROGRESS",
          afterTaskId: i % 2 === 0 ? null : anchor.id,
        }),
      ),
    );
    expect(moved.map((t) => t.status)).toEqual(Array<TaskStatus>(20).fill("IN_PROGRESS"));

    const rows = await testDb().task.findMany({
      where: { projectId: project.id, status: "IN_PROGRESS" },
      select: { id: true, position: true },
    });
    expect(rows).toHaveLength(21);
    expect(new Set(rows.map((r) => r.position)).size).toBe(21);

    const order = await column(owner, ws, project.id, "IN_PROGRESS");
    expect(new Set(order)).toEqual(new Set([anchor.id, ...tasks.map((t) => t.id)]));
    // The ten moved to the top are above the anchor; the ten placed after it are below.
    expect(order.indexOf(anchor.id)).toBe(10);
    const toTop = new Set(tasks.filter((_, i) => i % 2 === 0).map((t) => t.id));
    expect(order.slice(0, 10).every((id) => toTop.has(id))).toBe(true);
    expect(await column(owner, ws, project.id, "TODO")).toEqual([]);
    expect(await owner.task.statusCounts({ workspaceSlug: ws.slug, projectId: project.id })).toMatchObject({
      TODO: 0,
      IN_PROGRESS: 21,
    });
  });

  it(
    "keeps keys at most 32 characters and the order right after 1,000 moves to one spot",
    { timeout: 180_000 },
    async () => {
      const { ws, project, owner } = await setup("RBL");
      const top = await makeTask(ws, project.id, { title: "Top" });
      const bottom = await makeTask(ws, project.id, { title: "Bottom" });
      // 1,000 cards waiting in another column, made in bulk.
      const waiting = Array.from({ length: 1000 }, (_, i) => ({ id: `rbl-${uid()}-${i}`, number: i + 3 }));
      await testDb().task.createMany({
        data: waiting.map((t, i) => ({
          id: t.id,
          workspaceId: ws.id,
          projectId: project.id,
          number: t.number,
          title: `Card ${i}`,
          status: "BACKLOG" as const,
          creatorId: ws.owner.id,
          position: `b${String(i).padStart(3, "0")}`,
        })),
      });
      const [topBefore, bottomBefore] = [await taskRow(top.id), await taskRow(bottom.id)];
      // Every card goes directly below Top: the worst case for fractional keys (linear growth, about 170 characters here).
      // Ten members share the moves: one person's 1,000 writes would hit the write rate limit (120 a minute).
      const movers = await Promise.all(Array.from({ length: 10 }, () => addMember(ws, "MEMBER")));
      for (const [i, t] of waiting.entries())
        await callerFor(movers[i % 10]!).task.move({
          workspaceSlug: ws.slug,
          taskId: t.id,
          status: "TODO",
          afterTaskId: top.id,
        });

      const rows = await testDb().task.findMany({
        where: { projectId: project.id, status: "TODO" },
        orderBy: [{ position: "asc" }, { id: "asc" }],
        select: { id: true, position: true, version: true },
      });
      expect(rows.map((r) => r.id)).toEqual([top.id, ...waiting.map((t) => t.id).reverse(), bottom.id]);
      expect(new Set(rows.map((r) => r.position)).size).toBe(rows.length);
      expect(Math.max(...rows.map((r) => r.position.length))).toBeLessThanOrEqual(32);
      // The crowded spot was re-keyed on the way (Top, beside it, got a new key) without touching its
      // version or updatedAt; Bottom, far from the spot, kept its key: only the spot is re-keyed.
      const topAfter = await taskRow(top.id);
      expect(topAfter.position).not.toBe(topBefore.position);
      expect(topAfter.version).toBe(topBefore.version);
      expect(
        (await testDb().task.findUniqueOrThrow({ where: { id: top.id }, select: { updatedAt: true } })).updatedAt,
      ).toEqual(top.updatedAt);
      expect((await taskRow(bottom.id)).position).toBe(bottomBefore.position);
      // The board reads the same order through the API.
      const firstPage = await owner.task.list({
        workspaceSlug: ws.slug,
        filter: { projectId: project.id, status: ["TODO"] },
        sort: "position",
        limit: 3,
      });
      expect(firstPage.items.map((t) => t.id)).toEqual([top.id, waiting[999]!.id, waiting[998]!.id]);
    },
  );

  it("repairs a column whose keys collide instead of failing the move", async () => {
    const { ws, project, owner } = await setup("RBE");
    const a = await makeTask(ws, project.id, { title: "A" });
    const b = await makeTask(ws, project.id, { title: "B" });
    const c = await makeTask(ws, project.id, { title: "C" });
    // Hand-made data (an import, an old bug): A and B share a key.
    await testDb().task.updateMany({ where: { id: { in: [a.id, b.id] } }, data: { position: "a5" } });
    await owner.task.move({ workspaceSlug: ws.slug, taskId: c.id, status: "TODO", afterTaskId: a.id });
    expect(await column(owner, ws, project.id, "TODO")).toEqual([a.id, c.id, b.id]);
    const positions = Object.values(await positionsOf(project.id));
    expect(new Set(positions).size).toBe(3);
  });

  it("refuses a position longer than 64 characters in the database itself", async () => {
    const { ws, project } = await setup("RBC");
    const task = await makeTask(ws, project.id);
    await expect(
      testDb().task.update({ where: { id: task.id }, data: { position: `a0${"V".repeat(63)}` } }),
    ).rejects.toThrow(/Task_position_length/);
    await expect(
      testDb().task.update({ where: { id: task.id }, data: { position: `a0${"V".repeat(62)}` } }),
    ).resolves.toMatchObject({ id: task.id });
  });

  it("gives concurrent status changes through update distinct positions at the bottom of the column", async () => {
    const { ws, project, owner } = await setup("CUP");
    const first = await makeTask(ws, project.id, { title: "Already in review", status: "IN_REVIEW" });
    const tasks = [];
    for (let i = 0; i < 10; i++) tasks.push(await makeTask(ws, project.id, { title: `Reviewable ${i}` }));
    await Promise.all(
      tasks.map((t) =>
        callerFor(ws.owner).task.update({
          workspaceSlug: ws.slug,
          taskId: t.id,
          version: t.version,
          patch: { status: "IN_REVIEW" },
        }),
      ),
    );

    const rows = await testDb().task.findMany({
      where: { projectId: project.id, status: "IN_REVIEW" },
      select: { id: true, position: true },
    });
    expect(rows).toHaveLength(11);
    expect(new Set(rows.map((r) => r.position)).size).toBe(11);
    const order = await column(owner, ws, project.id, "IN_REVIEW");
    expect(order[0]).toBe(first.id);
  });
});

describe("soft delete", () => {
  it("hides the task everywhere but keeps the row and records task.deleted", async () => {
    const { ws, project, owner } = await setup("DEL");
    const keep = await makeTask(ws, project.id, { title: "Keep" });
    const doomed = await makeTask(ws, project.id, { title: "Doomed", status: "IN_PROGRESS" });

    await expect(owner.task.delete({ workspaceSlug: ws.slug, taskId: doomed.id })).resolves.toEqual({ ok: true });

    await expectApiError(owner.task.get({ workspaceSlug: ws.slug, taskId: doomed.id }), "NOT_FOUND");
    await expectApiError(owner.task.byRef({ workspaceSlug: ws.slug, ref: "DEL-2" }), "NOT_FOUND");
    const listed = await owner.task.list({ workspaceSlug: ws.slug });
    expect(listed.items.map((t) => t.id)).toEqual([keep.id]);
    expect((await owner.task.list({ workspaceSlug: ws.slug, filter: { status: ["IN_PROGRESS"] } })).items).toEqual([]);
    expect(await owner.task.statusCounts({ workspaceSlug: ws.slug, projectId: project.id })).toEqual({
      BACKLOG: 0,
      TODO: 1,
      IN_PROGRESS: 0,
      IN_REVIEW: 0,
      DONE: 0,
      CANCELED: 0,
    });
    expect(await owner.project.byKey({ workspaceSlug: ws.slug, key: "DEL" })).toMatchObject({
      openCount: 1,
      doneCount: 0,
    });

    // Further changes find nothing.
    await expectApiError(
      owner.task.update({ workspaceSlug: ws.slug, taskId: doomed.id, version: 2, patch: { title: "Zombie" } }),
      "NOT_FOUND",
    );
    await expectApiError(owner.task.move({ workspaceSlug: ws.slug, taskId: doomed.id, status: "TODO" }), "NOT_FOUND");
    await expectApiError(
      owner.task.move({ workspaceSlug: ws.slug, taskId: keep.id, status: "IN_PROGRESS", afterTaskId: doomed.id }),
      "CONFLICT",
    );
    await expectApiError(owner.task.delete({ workspaceSlug: ws.slug, taskId: doomed.id }), "NOT_FOUND");

    const row = await taskRow(doomed.id);
    expect(row).toMatchObject({ title: "Doomed", status: "IN_PROGRESS", number: 2, version: 2 });
    expect(row.deletedAt).toBeInstanceOf(Date);
    expect((await taskRow(keep.id)).deletedAt).toBeNull();

    const events = await taskEvents(doomed.id);
    expect(events.map((e) => [e.action, e.before, e.after])).toEqual([
      [
        "task.created",
        null,
        { title: "Doomed", status: "IN_PROGRESS", priority: "NONE", assigneeId: null, dueDate: null, labels: [] },
      ],
      ["task.deleted", { title: "Doomed", status: "IN_PROGRESS" }, null],
    ]);
    expect(events[1]).toMatchObject({
      actorId: ws.owner.id,
      workspaceId: ws.id,
      entityType: "task",
      entityId: doomed.id,
    });

    // Numbers are never reused.
    expect((await makeTask(ws, project.id)).ref).toBe("DEL-3");
  });
});

describe("task.list", () => {
  type Spec = {
    title: string;
    project: "WEB" | "API";
    status: TaskStatus;
    priority: TaskPriority;
    assignee: "alice" | "bob" | "owner" | null;
    labels: Array<"bug" | "ui">;
    due: string | null;
    created: number;
    updated: number;
    position: string;
    deleted?: boolean;
  };

  // Ties are deliberate (created, updated, priority, due, position) so the id tie-break is exercised,
  // and several tie groups straddle a page boundary at limit 3. Ids are "fx" + title.
  const SPECS: Spec[] = [
    {
      title: "w1",
      project: "WEB",
      status: "TODO",
      priority: "HIGH",
      assignee: "alice",
      labels: ["bug"],
      due: "2026-03-01",
      created: 0,
      updated: 10,
      position: "a0",
    },
    {
      title: "w2",
      project: "WEB",
      status: "TODO",
      priority: "NONE",
      assignee: null,
      labels: [],
      due: null,
      created: 1,
      updated: 1,
      position: "a1",
    },
    {
      title: "w3",
      project: "WEB",
      status: "IN_PROGRESS",
      priority: "URGENT",
      assignee: "bob",
      labels: ["bug", "ui"],
      due: "2026-02-15",
      created: 1,
      updated: 20,
      position: "a0",
    },
    {
      title: "w4",
      project: "WEB",
      status: "DONE",
      priority: "LOW",
      assignee: "alice",
      labels: [],
      due: "2026-02-15",
      created: 1,
      updated: 5,
      position: "a0",
    },
    {
      title: "w5",
      project: "WEB",
      status: "BACKLOG",
      priority: "MEDIUM",
      assignee: null,
      labels: ["ui"],
      due: "2026-04-10",
      created: 1,
      updated: 5,
      position: "a0",
    },
    {
      title: "w6",
      project: "WEB",
      status: "TODO",
      priority: "HIGH",
      assignee: "bob",
      labels: [],
      due: null,
      created: 3,
      updated: 3,
      position: "a2",
    },
    {
      title: "w7",
      project: "WEB",
      status: "IN_REVIEW",
      priority: "HIGH",
      assignee: "owner",
      labels: ["bug"],
      due: "2026-01-20",
      created: 4,
      updated: 30,
      position: "a0",
    },
    {
      title: "w8",
      project: "WEB",
      status: "CANCELED",
      priority: "NONE",
      assignee: null,
      labels: [],
      due: "2026-03-01",
      created: 5,
      updated: 5,
      position: "a0",
    },
    // "Zz" sorts before "a0" byte-wise (the board's top), but after it in a case-insensitive collation.
    {
      title: "w9",
      project: "WEB",
      status: "TODO",
      priority: "MEDIUM",
      assignee: "alice",
      labels: ["ui"],
      due: null,
      created: 6,
      updated: 6,
      position: "Zz",
    },
    {
      title: "a1",
      project: "API",
      status: "TODO",
      priority: "URGENT",
      assignee: "alice",
      labels: [],
      due: "2026-02-01",
      created: 7,
      updated: 7,
      position: "a0",
    },
    {
      title: "a2",
      project: "API",
      status: "DONE",
      priority: "NONE",
      assignee: null,
      labels: ["bug"],
      due: null,
      created: 8,
      updated: 8,
      position: "a0",
    },
    {
      title: "a3",
      project: "API",
      status: "IN_PROGRESS",
      priority: "LOW",
      assignee: "bob",
      labels: [],
      due: "2026-05-05",
      created: 8,
      updated: 40,
      position: "a0",
    },
    // Deleted: matches many filters but must never appear.
    {
      title: "wd",
      project: "WEB",
      status: "TODO",
      priority: "URGENT",
      assignee: "alice",
      labels: ["bug"],
      due: "2026-01-01",
      created: 9,
      updated: 50,
      position: "a3",
      deleted: true,
    },
  ];
  const BASE = Date.parse("2026-01-01T00:00:00.000Z");
  const minutes = (n: number) => new Date(BASE + n * 60_000);

  let ws: TestWorkspace;
  let owner: Caller;
  let alice: TestUser;
  let bob: TestUser;
  let web: { id: string };
  let api: { id: string };
  let labels: { bug: string; ui: string };
  let otherWs: TestWorkspace;
  let otherTaskIds: string[];

  beforeAll(async () => {
    ws = await makeWorkspace();
    owner = callerFor(ws.owner);
    alice = await addMember(ws, "MEMBER", await makeUser("alice"));
    bob = await addMember(ws, "MEMBER", await makeUser("bob"));
    web = await makeProject(ws, "WEB");
    api = await makeProject(ws, "API");
    labels = { bug: (await makeLabel(ws.id, "bug")).id, ui: (await makeLabel(ws.id, "ui")).id };
    const people = { alice: alice.id, bob: bob.id, owner: ws.owner.id };
    const numbers = { WEB: 0, API: 0 };
    for (const spec of SPECS) {
      const projectId = spec.project === "WEB" ? web.id : api.id;
      await testDb().task.create({
        data: {
          id: `fx${spec.title}`,
          workspaceId: ws.id,
          projectId,
          number: ++numbers[spec.project],
          title: spec.title,
          status: spec.status,
          priority: spec.priority,
          assigneeId: spec.assignee ? people[spec.assignee] : null,
          creatorId: ws.owner.id,
          dueDate: spec.due ? new Date(`${spec.due}T00:00:00.000Z`) : null,
          position: spec.position,
          createdAt: minutes(spec.created),
          updatedAt: minutes(spec.updated),
          completedAt: spec.status === "DONE" || spec.status === "CANCELED" ? minutes(spec.updated) : null,
          deletedAt: spec.deleted ? minutes(60) : null,
          labels: { create: spec.labels.map((l) => ({ labelId: labels[l] })) },
        },
      });
    }
    await testDb().project.update({ where: { id: web.id }, data: { taskCounter: numbers.WEB } });
    await testDb().project.update({ where: { id: api.id }, data: { taskCounter: numbers.API } });

    // Another tenant with look-alike tasks (same project key, statuses, labels).
    otherWs = await makeWorkspace();
    const otherProject = await makeProject(otherWs, "WEB");
    otherTaskIds = [];
    for (const status of ["TODO", "IN_PROGRESS", "DONE"] as const)
      otherTaskIds.push((await makeTask(otherWs, otherProject.id, { title: `other ${status}`, status })).id);
  });

  it("stored the fixture as specified", async () => {
    const rows = await testDb().task.findMany({
      where: { workspaceId: ws.id },
      select: { id: true, createdAt: true, updatedAt: true },
    });
    expect(rows).toHaveLength(SPECS.length);
    for (const spec of SPECS) {
      const row = rows.find((r) => r.id === `fx${spec.title}`);
      expect([row?.createdAt.toISOString(), row?.updatedAt.toISOString()]).toEqual([
        minutes(spec.created).toISOString(),
        minutes(spec.updated).toISOString(),
      ]);
    }
  });

  it("returns list items with refs, labels, assignees and due dates", async () => {
    const page = await owner.task.list({
      workspaceSlug: ws.slug,
      filter: { projectId: web.id, status: ["IN_PROGRESS"] },
    });
    expect(page.nextCursor).toBeNull();
    expect(page.items).toHaveLength(1);
    expect(page.items[0]).toMatchObject({
      id: "fxw3",
      ref: "WEB-3",
      number: 3,
      projectId: web.id,
      projectKey: "WEB",
      title: "w3",
      status: "IN_PROGRESS",
      priority: "URGENT",
      assignee: { id: bob.id, email: bob.email, handle: bob.handle },
      labels: [
        { id: labels.bug, name: "bug", color: "#3b82f6" },
        { id: labels.ui, name: "ui", color: "#3b82f6" },
      ],
      dueDate: "2026-02-15",
      position: "a0",
      version: 1,
      createdAt: minutes(1),
      updatedAt: minutes(20),
    });
  });

  it("never returns another workspace's or deleted tasks", async () => {
    const everything = await owner.task.list({ workspaceSlug: ws.slug, limit: 100 });
    expect(everything.items).toHaveLength(12);
    const ids = everything.items.map((t) => t.id);
    for (const id of [...otherTaskIds, "fxwd"]) expect(ids).not.toContain(id);
    const theirs = await callerFor(otherWs.owner).task.list({ workspaceSlug: otherWs.slug, limit: 100 });
    expect(theirs.items.map((t) => t.id).sort()).toEqual([...otherTaskIds].sort());
  });

  it.each<[string, ListInput["filter"], string[]]>([
    ["status TODO", { status: ["TODO"] }, ["a1", "w9", "w6", "w2", "w1"]],
    ["status DONE or CANCELED", { status: ["DONE", "CANCELED"] }, ["a2", "w8", "w4"]],
    ["priority HIGH", { priority: ["HIGH"] }, ["w7", "w6", "w1"]],
    ["priority URGENT or LOW", { priority: ["URGENT", "LOW"] }, ["a3", "a1", "w4", "w3"]],
    ["unassigned", { assigneeId: null }, ["a2", "w8", "w5", "w2"]],
    ["label bug", { labelId: "bug" }, ["a2", "w7", "w3", "w1"]],
    ["label ui", { labelId: "ui" }, ["w9", "w5", "w3"]],
    ["due before 2026-02-20", { dueBefore: "2026-02-20" }, ["a1", "w7", "w4", "w3"]],
    ["due after 2026-03-15", { dueAfter: "2026-03-15" }, ["a3", "w5"]],
    [
      "due between 2026-02-10 and 2026-03-10",
      { dueAfter: "2026-02-10", dueBefore: "2026-03-10" },
      ["w8", "w4", "w3", "w1"],
    ],
    ["with a due date", { hasDueDate: true }, ["a3", "a1", "w8", "w7", "w5", "w4", "w3", "w1"]],
    ["without a due date", { hasDueDate: false }, ["a2", "w9", "w6", "w2"]],
    ["project API", { projectId: "api" }, ["a3", "a2", "a1"]],
    ["project WEB, TODO, alice", { projectId: "web", status: ["TODO"], assigneeId: "alice" }, ["w9", "w1"]],
    ["label bug and priority HIGH", { labelId: "bug", priority: ["HIGH"] }, ["w7", "w1"]],
    ["due before a date nobody has", { dueBefore: "2025-01-01" }, []],
  ])("filters: %s", async (_name, filter, expected) => {
    // Placeholders in the table stand for ids that exist only after beforeAll.
    const resolved = { ...filter };
    if (resolved.projectId === "api") resolved.projectId = api.id;
    if (resolved.projectId === "web") resolved.projectId = web.id;
    if (resolved.assigneeId === "alice") resolved.assigneeId = alice.id;
    if (resolved.labelId === "bug" || resolved.labelId === "ui") resolved.labelId = labels[resolved.labelId];
    const page = await owner.task.list({ workspaceSlug: ws.slug, filter: resolved, limit: 100 });
    expect(page.items.map((t) => t.title)).toEqual(expected);
    expect(page.nextCursor).toBeNull();
    // The same through pages of 3.
    expect(await collectTitles(owner, { workspaceSlug: ws.slug, filter: resolved })).toEqual(expected);
  });

  it("filters by assignee for each member", async () => {
    const byAlice = await owner.task.list({ workspaceSlug: ws.slug, filter: { assigneeId: alice.id } });
    expect(byAlice.items.map((t) => t.title)).toEqual(["a1", "w9", "w4", "w1"]);
    const byBob = await owner.task.list({ workspaceSlug: ws.slug, filter: { assigneeId: bob.id } });
    expect(byBob.items.map((t) => t.title)).toEqual(["a3", "w6", "w3"]);
    const byOwner = await owner.task.list({ workspaceSlug: ws.slug, filter: { assigneeId: ws.owner.id } });
    expect(byOwner.items.map((t) => t.title)).toEqual(["w7"]);
  });

  it("returns nothing for another workspace's project or label", async () => {
    const otherProject = await testDb().project.findFirstOrThrow({
      where: { workspaceId: otherWs.id },
      select: { id: true },
    });
    const foreignLabel = await makeLabel(otherWs.id, "bug");
    await testDb().taskLabel.create({ data: { taskId: otherTaskIds[0]!, labelId: foreignLabel.id } });
    expect((await owner.task.list({ workspaceSlug: ws.slug, filter: { projectId: otherProject.id } })).items).toEqual(
      [],
    );
    expect((await owner.task.list({ workspaceSlug: ws.slug, filter: { labelId: foreignLabel.id } })).items).toEqual([]);
    expect(
      (await owner.task.list({ workspaceSlug: ws.slug, filter: { projectId: otherProject.id }, sort: "position" }))
        .items,
    ).toEqual([]);
  });

  it.each<[string, Omit<ListInput, "workspaceSlug" | "cursor" | "limit">, string[]]>([
    ["created (default: newest first)", {}, ["a3", "a2", "a1", "w9", "w8", "w7", "w6", "w5", "w4", "w3", "w2", "w1"]],
    [
      "created oldest first",
      { sort: "created", order: "asc" },
      ["w1", "w2", "w3", "w4", "w5", "w6", "w7", "w8", "w9", "a1", "a2", "a3"],
    ],
    [
      "updated (newest first)",
      { sort: "updated" },
      ["a3", "w7", "w3", "w1", "a2", "a1", "w9", "w8", "w5", "w4", "w6", "w2"],
    ],
    [
      "updated oldest first",
      { sort: "updated", order: "asc" },
      ["w2", "w6", "w4", "w5", "w8", "w9", "a1", "a2", "w1", "w3", "w7", "a3"],
    ],
    [
      "priority (most urgent first)",
      { sort: "priority" },
      ["w3", "a1", "w7", "w6", "w1", "w9", "w5", "w4", "a3", "w8", "w2", "a2"],
    ],
    [
      "priority least urgent first",
      { sort: "priority", order: "asc" },
      ["a2", "w2", "w8", "a3", "w4", "w5", "w9", "w1", "w6", "w7", "a1", "w3"],
    ],
    [
      "due (soonest first, no date last)",
      { sort: "due" },
      ["w7", "a1", "w3", "w4", "w1", "w8", "w5", "a3", "a2", "w2", "w6", "w9"],
    ],
    [
      "due latest first, no date still last",
      { sort: "due", order: "desc" },
      ["a3", "w5", "w8", "w1", "w4", "w3", "a1", "w7", "w9", "w6", "w2", "a2"],
    ],
    [
      "due with a due date only",
      { sort: "due", filter: { hasDueDate: true } },
      ["w7", "a1", "w3", "w4", "w1", "w8", "w5", "a3"],
    ],
    [
      "priority among TODO and IN_PROGRESS",
      { sort: "priority", filter: { status: ["TODO", "IN_PROGRESS"] } },
      ["w3", "a1", "w6", "w1", "w9", "a3", "w2"],
    ],
    ["updated among unassigned", { sort: "updated", filter: { assigneeId: null } }, ["a2", "w8", "w5", "w2"]],
  ])("sorts and paginates: %s", async (_name, input, expected) => {
    expect(await collectTitles(owner, { workspaceSlug: ws.slug, ...input })).toEqual(expected);
    // One big page agrees with the pages of 3.
    const all = await owner.task.list({ workspaceSlug: ws.slug, ...input, limit: 100 });
    expect(all.items.map((t) => t.title)).toEqual(expected);
  });

  it("sorts by board position within a project, byte-wise, across and within columns", async () => {
    expect(
      await collectTitles(owner, { workspaceSlug: ws.slug, sort: "position", filter: { projectId: web.id } }),
    ).toEqual(["w9", "w1", "w3", "w4", "w5", "w7", "w8", "w2", "w6"]);
    expect(
      await collectTitles(owner, {
        workspaceSlug: ws.slug,
        sort: "position",
        order: "desc",
        filter: { projectId: web.id },
      }),
    ).toEqual(["w6", "w2", "w8", "w7", "w5", "w4", "w3", "w1", "w9"]);
    expect(
      await collectTitles(owner, {
        workspaceSlug: ws.slug,
        sort: "position",
        filter: { projectId: web.id, status: ["TODO"] },
      }),
    ).toEqual(["w9", "w1", "w2", "w6"]);
    expect(
      await collectTitles(owner, { workspaceSlug: ws.slug, sort: "position", filter: { projectId: api.id } }),
    ).toEqual(["a1", "a2", "a3"]);
  });

  it("rejects bad cursors", async () => {
    const garbage = await expectApiError(
      owner.task.list({ workspaceSlug: ws.slug, cursor: "definitely-not-a-cursor" }),
      "BAD_REQUEST",
    );
    expect(garbage.message).toBe("Invalid cursor");
    expect(garbage.data.fieldErrors).toEqual({ cursor: INVALID_CURSOR });

    const created = await owner.task.list({ workspaceSlug: ws.slug, limit: 3 });
    expect(created.nextCursor).not.toBeNull();
    const cursor = created.nextCursor!;
    const otherSort = await expectApiError(
      owner.task.list({ workspaceSlug: ws.slug, sort: "priority", cursor, limit: 3 }),
      "BAD_REQUEST",
    );
    expect(otherSort.data.fieldErrors).toEqual({ cursor: INVALID_CURSOR });
    const otherDirection = await expectApiError(
      owner.task.list({ workspaceSlug: ws.slug, sort: "created", order: "asc", cursor, limit: 3 }),
      "BAD_REQUEST",
    );
    expect(otherDirection.data.fieldErrors).toEqual({ cursor: INVALID_CURSOR });
    // The same cursor with its own sort keeps working (tRPC's infinite queries add direction: "forward").
    expect((await owner.task.list({ workspaceSlug: ws.slug, cursor, limit: 3 })).items.map((t) => t.title)).toEqual([
      "w9",
      "w8",
      "w7",
    ]);
    expect(
      (await owner.task.list({ workspaceSlug: ws.slug, cursor, limit: 3, direction: "forward" })).items.map(
        (t) => t.title,
      ),
    ).toEqual(["w9", "w8", "w7"]);

    const forge = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
    for (const forged of [
      forge({ s: "created", d: "desc", v: "yesterday", id: "x" }),
      forge({ s: "created", d: "desc", v: 42, id: "x" }),
      forge({ s: "created", d: "desc", v: "2026-01-01T00:00:00.000Z" }),
      forge(null),
      forge("created"),
    ]) {
      const error = await expectApiError(owner.task.list({ workspaceSlug: ws.slug, cursor: forged }), "BAD_REQUEST");
      expect(error.data.fieldErrors).toEqual({ cursor: INVALID_CURSOR });
    }
    const priority = await expectApiError(
      owner.task.list({
        workspaceSlug: ws.slug,
        sort: "priority",
        cursor: forge({ s: "priority", d: "desc", v: "CRITICAL", id: "x" }),
      }),
      "BAD_REQUEST",
    );
    expect(priority.data.fieldErrors).toEqual({ cursor: INVALID_CURSOR });
    const due = await expectApiError(
      owner.task.list({
        workspaceSlug: ws.slug,
        sort: "due",
        cursor: forge({ s: "due", d: "asc", v: "soon", id: "x" }),
      }),
      "BAD_REQUEST",
    );
    expect(due.data.fieldErrors).toEqual({ cursor: INVALID_CURSOR });
  });

  it("rejects position order without a project, bad limits and bad filters", async () => {
    const noProject = await expectApiError(
      owner.task.list({ workspaceSlug: ws.slug, sort: "position" }),
      "BAD_REQUEST",
    );
    expect(noProject.data.fieldErrors).toEqual({ sort: ["Sorting by board position needs filter.projectId"] });
    for (const limit of [0, 101, -1, 2.5]) {
      const error = await expectApiError(owner.task.list({ workspaceSlug: ws.slug, limit }), "BAD_REQUEST");
      expect(Object.keys(error.data.fieldErrors ?? {})).toEqual(["limit"]);
    }
    expect((await owner.task.list({ workspaceSlug: ws.slug, limit: 1 })).items).toHaveLength(1);
    expect((await owner.task.list({ workspaceSlug: ws.slug, limit: 100 })).items).toHaveLength(12);

    const unknownFilter = await expectApiError(
      owner.task.list({ workspaceSlug: ws.slug, filter: { color: "red" } } as never),
      "BAD_REQUEST",
    );
    expect(Object.keys(unknownFilter.data.fieldErrors ?? {})).toEqual(["filter"]);
    const badStatus = await expectApiError(
      owner.task.list({ workspaceSlug: ws.slug, filter: { status: ["DOING"] } } as never),
      "BAD_REQUEST",
    );
    expect(Object.keys(badStatus.data.fieldErrors ?? {})).toEqual(["filter.status.0"]);
    const badDate = await expectApiError(
      owner.task.list({ workspaceSlug: ws.slug, filter: { dueBefore: "2026-13-45" } }),
      "BAD_REQUEST",
    );
    expect(badDate.data.fieldErrors).toEqual({ "filter.dueBefore": BAD_DATE });
    const badSort = await expectApiError(
      owner.task.list({ workspaceSlug: ws.slug, sort: "title" } as never),
      "BAD_REQUEST",
    );
    expect(Object.keys(badSort.data.fieldErrors ?? {})).toEqual(["sort"]);
  });

  it("counts tasks per status for board columns", async () => {
    expect(await owner.task.statusCounts({ workspaceSlug: ws.slug, projectId: web.id })).toEqual({
      BACKLOG: 1,
      TODO: 4,
      IN_PROGRESS: 1,
      IN_REVIEW: 1,
      DONE: 1,
      CANCELED: 1,
    });
    expect(await owner.task.statusCounts({ workspaceSlug: ws.slug, projectId: api.id })).toEqual({
      BACKLOG: 0,
      TODO: 1,
      IN_PROGRESS: 1,
      IN_REVIEW: 0,
      DONE: 1,
      CANCELED: 0,
    });
  });
});

describe("permissions", () => {
  it("lets viewers read but not create, update, move or delete", async () => {
    const { ws, project } = await setup("PRM");
    const viewer = callerFor(await addMember(ws, "VIEWER"));
    const task = await makeTask(ws, project.id, { title: "Read only" });
    const before = await taskRow(task.id);

    await expectApiError(
      viewer.task.create({ workspaceSlug: ws.slug, projectId: project.id, title: "By viewer" }),
      "FORBIDDEN",
    );
    await expectApiError(
      viewer.task.update({ workspaceSlug: ws.slug, taskId: task.id, version: 1, patch: { title: "By viewer" } }),
      "FORBIDDEN",
    );
    await expectApiError(viewer.task.move({ workspaceSlug: ws.slug, taskId: task.id, status: "DONE" }), "FORBIDDEN");
    const del = await expectApiError(viewer.task.delete({ workspaceSlug: ws.slug, taskId: task.id }), "FORBIDDEN");
    expect(del.message).toBe("You do not have permission to do that");
    expect(await taskRow(task.id)).toEqual(before);
    expect(await testDb().task.count({ where: { projectId: project.id } })).toBe(1);

    expect((await viewer.task.get({ workspaceSlug: ws.slug, taskId: task.id })).title).toBe("Read only");
    expect((await viewer.task.byRef({ workspaceSlug: ws.slug, ref: "prm-1" })).id).toBe(task.id);
    expect((await viewer.task.list({ workspaceSlug: ws.slug })).items.map((t) => t.id)).toEqual([task.id]);
    expect(await viewer.task.statusCounts({ workspaceSlug: ws.slug, projectId: project.id })).toMatchObject({
      TODO: 1,
    });
  });

  it("lets members create, update, move and delete", async () => {
    const { ws, project } = await setup("MBR");
    const member = await addMember(ws, "MEMBER");
    const caller = callerFor(member);
    const created = await caller.task.create({ workspaceSlug: ws.slug, projectId: project.id, title: "By member" });
    expect(created.creator.id).toBe(member.id);
    const updated = await caller.task.update({
      workspaceSlug: ws.slug,
      taskId: created.id,
      version: 1,
      patch: { priority: "URGENT" },
    });
    expect(updated.priority).toBe("URGENT");
    const moved = await caller.task.move({ workspaceSlug: ws.slug, taskId: created.id, status: "IN_PROGRESS" });
    expect(moved.status).toBe("IN_PROGRESS");
    await expect(caller.task.delete({ workspaceSlug: ws.slug, taskId: created.id })).resolves.toEqual({ ok: true });
    const actors = await testDb().activityEvent.findMany({ where: { taskId: created.id }, select: { actorId: true } });
    expect(actors).toEqual(Array(4).fill({ actorId: member.id }));
  });

  it("answers UNAUTHORIZED when signed out and NOT_FOUND to non-members", async () => {
    const { ws, project } = await setup("ANO");
    const task = await makeTask(ws, project.id);
    const anonymous = callerFor(null);
    await expectApiError(anonymous.task.list({ workspaceSlug: ws.slug }), "UNAUTHORIZED");
    await expectApiError(anonymous.task.get({ workspaceSlug: ws.slug, taskId: task.id }), "UNAUTHORIZED");
    await expectApiError(anonymous.task.byRef({ workspaceSlug: ws.slug, ref: task.ref }), "UNAUTHORIZED");
    await expectApiError(
      anonymous.task.statusCounts({ workspaceSlug: ws.slug, projectId: project.id }),
      "UNAUTHORIZED",
    );
    await expectApiError(
      anonymous.task.create({ workspaceSlug: ws.slug, projectId: project.id, title: "Anon" }),
      "UNAUTHORIZED",
    );
    await expectApiError(
      anonymous.task.update({ workspaceSlug: ws.slug, taskId: task.id, version: 1, patch: { title: "Anon" } }),
      "UNAUTHORIZED",
    );
    await expectApiError(
      anonymous.task.move({ workspaceSlug: ws.slug, taskId: task.id, status: "DONE" }),
      "UNAUTHORIZED",
    );
    await expectApiError(anonymous.task.delete({ workspaceSlug: ws.slug, taskId: task.id }), "UNAUTHORIZED");

    const outsider = callerFor(await makeUser("outsider"));
    await expectApiError(outsider.task.get({ workspaceSlug: ws.slug, taskId: task.id }), "NOT_FOUND");
    await expectApiError(outsider.task.list({ workspaceSlug: ws.slug }), "NOT_FOUND");
    await expectApiError(
      outsider.task.create({ workspaceSlug: ws.slug, projectId: project.id, title: "Outsider" }),
      "NOT_FOUND",
    );
    expect(await taskRow(task.id)).toMatchObject({ version: 1, deletedAt: null });
    expect(await testDb().task.count({ where: { projectId: project.id } })).toBe(1);
  });
});

describe("tenancy", () => {
  it("answers NOT_FOUND for another workspace's task ids used through one's own workspace", async () => {
    const a = await setup("AAA");
    const b = await setup("BEE");
    const mine = await makeTask(a.ws, a.project.id, { title: "Mine" });
    const theirs = await makeTask(b.ws, b.project.id, { title: "Theirs" });
    const before = await taskRow(theirs.id);
    // Even a member of both workspaces cannot reach B's task through A's slug.
    const both = await addMember(b.ws, "OWNER", a.ws.owner);
    const caller = callerFor(both);

    await expectApiError(caller.task.get({ workspaceSlug: a.ws.slug, taskId: theirs.id }), "NOT_FOUND");
    await expectApiError(caller.task.byRef({ workspaceSlug: a.ws.slug, ref: "BEE-1" }), "NOT_FOUND");
    await expectApiError(
      caller.task.update({ workspaceSlug: a.ws.slug, taskId: theirs.id, version: 1, patch: { title: "Hijacked" } }),
      "NOT_FOUND",
    );
    await expectApiError(
      caller.task.move({ workspaceSlug: a.ws.slug, taskId: theirs.id, status: "DONE" }),
      "NOT_FOUND",
    );
    await expectApiError(caller.task.delete({ workspaceSlug: a.ws.slug, taskId: theirs.id }), "NOT_FOUND");
    await expectApiError(
      caller.task.create({ workspaceSlug: a.ws.slug, projectId: b.project.id, title: "Smuggled" }),
      "NOT_FOUND",
    );
    await expectApiError(
      caller.task.move({ workspaceSlug: a.ws.slug, taskId: mine.id, status: "TODO", afterTaskId: theirs.id }),
      "CONFLICT",
    );

    expect((await caller.task.list({ workspaceSlug: a.ws.slug, limit: 100 })).items.map((t) => t.id)).toEqual([
      mine.id,
    ]);
    expect((await caller.task.list({ workspaceSlug: a.ws.slug, filter: { projectId: b.project.id } })).items).toEqual(
      [],
    );
    expect(await caller.task.statusCounts({ workspaceSlug: a.ws.slug, projectId: b.project.id })).toEqual({
      BACKLOG: 0,
      TODO: 0,
      IN_PROGRESS: 0,
      IN_REVIEW: 0,
      DONE: 0,
      CANCELED: 0,
    });

    expect(await taskRow(theirs.id)).toEqual(before);
    expect((await taskEvents(theirs.id)).map((e) => e.action)).toEqual(["task.created"]);
    expect(await testDb().task.count({ where: { workspaceId: a.ws.id } })).toBe(1);
    // Through its own slug the task is of course there.
    expect((await caller.task.get({ workspaceSlug: b.ws.slug, taskId: theirs.id })).title).toBe("Theirs");
  });

  it("rejects another workspace's member as assignee and its labels", async () => {
    const a = await setup("ASA");
    const b = await makeWorkspace();
    const bLabel = await makeLabel(b.id, "theirs");
    const task = await makeTask(a.ws, a.project.id);
    const caller = a.owner;
    const assignee = await expectApiError(
      caller.task.update({ workspaceSlug: a.ws.slug, taskId: task.id, version: 1, patch: { assigneeId: b.owner.id } }),
      "BAD_REQUEST",
    );
    expect(assignee.data.fieldErrors).toEqual({ assigneeId: NOT_A_MEMBER });
    const label = await expectApiError(
      caller.task.update({ workspaceSlug: a.ws.slug, taskId: task.id, version: 1, patch: { labelIds: [bLabel.id] } }),
      "BAD_REQUEST",
    );
    expect(label.data.fieldErrors).toEqual({ labelIds: FOREIGN_LABELS });
    expect(await taskRow(task.id)).toMatchObject({ version: 1, assigneeId: null });
  });
});

describe("activity", () => {
  it("writes an event for every mutation with only the changed fields", async () => {
    const { ws, project, owner } = await setup("ACT");
    const member = await addMember(ws, "MEMBER");
    const bug = await makeLabel(ws.id, "bug");
    const created = await owner.task.create({
      workspaceSlug: ws.slug,
      projectId: project.id,
      title: "Audit me",
      description: "Details",
      priority: "LOW",
      assigneeId: member.id,
      labelIds: [bug.id],
      dueDate: "2026-07-01",
    });

    // Unchanged fields in a patch are not recorded.
    await owner.task.update({
      workspaceSlug: ws.slug,
      taskId: created.id,
      version: 1,
      patch: { title: "Audited", priority: "LOW", status: "TODO" },
    });
    await owner.task.update({
      workspaceSlug: ws.slug,
      taskId: created.id,
      version: 2,
      patch: { priority: "HIGH", assigneeId: null, dueDate: null, labelIds: [], description: "More details" },
    });
    await owner.task.update({ workspaceSlug: ws.slug, taskId: created.id, version: 3, patch: { status: "DONE" } });
    // A no-op writes nothing.
    await owner.task.update({
      workspaceSlug: ws.slug,
      taskId: created.id,
      version: 4,
      patch: { status: "DONE", title: "Audited" },
    });
    await owner.task.delete({ workspaceSlug: ws.slug, taskId: created.id });

    const events = await taskEvents(created.id);
    expect(events.map((e) => [e.action, e.before, e.after])).toEqual([
      [
        "task.created",
        null,
        {
          title: "Audit me",
          status: "TODO",
          priority: "LOW",
          assigneeId: member.id,
          dueDate: "2026-07-01",
          labels: ["bug"],
        },
      ],
      ["task.updated", { title: "Audit me" }, { title: "Audited" }],
      [
        "task.updated",
        // A description is recorded as its length, never its text.
        { description: { length: 7 }, priority: "LOW", assigneeId: member.id, dueDate: "2026-07-01", labels: ["bug"] },
        { description: { length: 12 }, priority: "HIGH", assigneeId: null, dueDate: null, labels: [] },
      ],
      ["task.updated", { status: "TODO" }, { status: "DONE" }],
      ["task.deleted", { title: "Audited", status: "DONE" }, null],
    ]);
    for (const e of events)
      expect(e).toMatchObject({ actorId: ws.owner.id, workspaceId: ws.id, entityType: "task", entityId: created.id });

    // Each event carries the request id, for log correlation.
    const row = await testDb().activityEvent.findFirstOrThrow({
      where: { taskId: created.id, action: "task.created" },
      select: { requestId: true },
    });
    expect(typeof row.requestId).toBe("string");
  });
});

describe("bad input", () => {
  it("rejects bad create input with field errors and creates nothing", async () => {
    const { ws, project, owner } = await setup("BAD");
    const base = { workspaceSlug: ws.slug, projectId: project.id };
    const empty = await expectApiError(owner.task.create({ ...base, title: "   " }), "BAD_REQUEST");
    expect(empty.message).toBe("Invalid input");
    expect(empty.data.fieldErrors).toEqual({ title: ["Required"] });
    const long = await expectApiError(owner.task.create({ ...base, title: "x".repeat(201) }), "BAD_REQUEST");
    expect(long.data.fieldErrors).toEqual({ title: ["Use at most 200 characters"] });

    const cases: Array<[Record<string, unknown>, string]> = [
      [{ ...base, title: 42 }, "title"],
      [{ ...base, title: "ok", status: "DOING" }, "status"],
      [{ ...base, title: "ok", priority: 3 }, "priority"],
      [{ ...base, title: "ok", labelIds: "bug" }, "labelIds"],
      [{ ...base, title: "ok", dueDate: 20261231 }, "dueDate"],
      [{ ...base, title: "ok", description: null }, "description"],
      [{ workspaceSlug: ws.slug, title: "ok" }, "projectId"],
      [{ ...base, title: "ok", color: "red" }, ""],
    ];
    for (const [input, field] of cases) {
      const error = await expectApiError(owner.task.create(input as never), "BAD_REQUEST");
      expect(Object.keys(error.data.fieldErrors ?? {}), JSON.stringify(input)).toEqual([field]);
    }
    expect(await testDb().task.count({ where: { projectId: project.id } })).toBe(0);

    const exactly200 = await owner.task.create({ ...base, title: "y".repeat(200) });
    expect(exactly200.title).toHaveLength(200);
    expect(exactly200.number).toBe(1);
  });

  it("rejects bad update input with field errors and changes nothing", async () => {
    const { ws, project, owner } = await setup("BUP");
    const task = await makeTask(ws, project.id, { title: "Stable" });
    const base = { workspaceSlug: ws.slug, taskId: task.id, version: 1 };

    const empty = await expectApiError(owner.task.update({ ...base, patch: {} }), "BAD_REQUEST");
    expect(empty.data.fieldErrors).toEqual({ patch: ["Change at least one field"] });
    const undefinedOnly = await expectApiError(
      owner.task.update({ ...base, patch: { title: undefined } }),
      "BAD_REQUEST",
    );
    expect(undefinedOnly.data.fieldErrors).toEqual({ patch: ["Change at least one field"] });
    const blank = await expectApiError(owner.task.update({ ...base, patch: { title: "  " } }), "BAD_REQUEST");
    expect(blank.data.fieldErrors).toEqual({ "patch.title": ["Required"] });
    const long = await expectApiError(owner.task.update({ ...base, patch: { title: "x".repeat(201) } }), "BAD_REQUEST");
    expect(long.data.fieldErrors).toEqual({ "patch.title": ["Use at most 200 characters"] });

    const cases: Array<[Record<string, unknown>, string]> = [
      [{ ...base, patch: { title: "ok", color: "red" } }, "patch"],
      [{ ...base, patch: { number: 7 } }, "patch"],
      [{ ...base, patch: { status: "DOING" } }, "patch.status"],
      [{ ...base, patch: { priority: "P1" } }, "patch.priority"],
      [{ ...base, patch: { assigneeId: 5 } }, "patch.assigneeId"],
      [{ ...base, version: "1", patch: { title: "ok" } }, "version"],
      [{ ...base, version: 0, patch: { title: "ok" } }, "version"],
      [{ ...base, version: 1.5, patch: { title: "ok" } }, "version"],
      [{ workspaceSlug: ws.slug, version: 1, patch: { title: "ok" } }, "taskId"],
      [{ ...base, patch: { title: "ok" }, extra: true }, ""],
    ];
    for (const [input, field] of cases) {
      const error = await expectApiError(owner.task.update(input as never), "BAD_REQUEST");
      expect(Object.keys(error.data.fieldErrors ?? {}), JSON.stringify(input)).toEqual([field]);
    }
    expect(await taskRow(task.id)).toMatchObject({ title: "Stable", version: 1 });
    expect((await taskEvents(task.id)).map((e) => e.action)).toEqual(["task.created"]);
  });

  it("rejects a missing workspace slug", async () => {
    const { ws, project, owner } = await setup("SLG");
    const error = await expectApiError(
      owner.task.create({ projectId: project.id, title: "No slug" } as never),
      "BAD_REQUEST",
    );
    expect(error.data.fieldErrors).toEqual({ workspaceSlug: ["Required: the workspace's address"] });
    expect(await testDb().task.count({ where: { workspaceId: ws.id } })).toBe(0);
  });
});

describe("status counts", () => {
  it("reports every status, including empty ones", async () => {
    const { ws, project, owner } = await setup("CNT");
    expect(await owner.task.statusCounts({ workspaceSlug: ws.slug, projectId: project.id })).toEqual({
      BACKLOG: 0,
      TODO: 0,
      IN_PROGRESS: 0,
      IN_REVIEW: 0,
      DONE: 0,
      CANCELED: 0,
    });
    for (const status of TASK_STATUSES) await makeTask(ws, project.id, { status });
    await makeTask(ws, project.id, { status: "DONE" });
    expect(await owner.task.statusCounts({ workspaceSlug: ws.slug, projectId: project.id })).toEqual({
      BACKLOG: 1,
      TODO: 1,
      IN_PROGRESS: 1,
      IN_REVIEW: 1,
      DONE: 2,
      CANCELED: 1,
    });
  });
});
