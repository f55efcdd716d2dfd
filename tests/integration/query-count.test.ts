/**
 * "No N+1": the number of SQL statements a read issues must not grow with the
 * number of rows it returns. Statements are counted with a second Prisma client
 * that emits query events; procedures run on it through a caller of their own.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import "../setup/file-db";
import { testDb } from "../setup/file-db";
import { recordActivity } from "@/server/db/activity";
import { PrismaPg } from "@prisma/adapter-pg";
import { generateNKeysBetween } from "fractional-indexing";
import { PrismaClient } from "@/server/db/generated/client";
import { createCaller } from "@/server/routers/_app";
import { createInnerContext } from "@/server/trpc/context";
import { addMember, makeWorkspace, uid, type TestUser, type TestWorkspace } from "../helpers/factories";

const MAX_STATEMENTS = 8;

let counting: PrismaClient<"query">;
const statements: string[] = [];

beforeAll(() => {
  counting = new PrismaClient({
    adapter: new PrismaPg({ connectionString: process.env.DATABASE_URL, max: 1 }),
    log: [{ emit: "event", level: "query" }],
  });
  counting.$on("query", (event) => {
    statements.push(event.query);
  });
});

afterAll(async () => {
  await counting?.$disconnect();
});

type Caller = ReturnType<typeof createCaller>;

/** Runs `fn` as `user` on the counting client; returns its result and the SQL it issued. */
async function measure<T>(user: TestUser, fn: (caller: Caller) => Promise<T>): Promise<{ result: T; sql: string[] }> {
  const caller = createCaller(createInnerContext({ db: counting, viewer: { userId: user.id } }));
  statements.length = 0;
  const result = await fn(caller);
  return { result, sql: [...statements] };
}

function makeProjectRow(ws: TestWorkspace, key = `Q${uid().slice(0, 5).toUpperCase()}`) {
  return testDb().project.create({
    data: { workspaceId: ws.id, key, name: `Project ${key}` },
    select: { id: true, key: true },
  });
}

/** `count` tasks made in bulk: distinct numbers, positions and creation times. */
async function bulkTasks(
  ws: TestWorkspace,
  projectId: string,
  count: number,
  fields: (i: number) => {
    assigneeId?: string | null;
    status?: "TODO" | "IN_PROGRESS" | "DONE" | "CANCELED";
  } = () => ({}),
) {
  const positions = generateNKeysBetween(null, null, count);
  const base = Date.UTC(2026, 0, 1);
  const existing = await testDb().task.count({ where: { projectId } });
  await testDb().task.createMany({
    data: positions.map((position, i) => ({
      workspaceId: ws.id,
      projectId,
      number: existing + i + 1,
      title: `Bulk task ${existing + i + 1}`,
      creatorId: ws.owner.id,
      position,
      createdAt: new Date(base + (existing + i) * 1000),
      status: fields(i).status ?? "TODO",
      assigneeId: fields(i).assigneeId ?? null,
    })),
  });
  await testDb().project.update({ where: { id: projectId }, data: { taskCounter: existing + count } });
  return testDb().task.findMany({
    where: { projectId },
    orderBy: { number: "asc" },
    select: { id: true, number: true },
  });
}

describe("No N+1 on read paths", () => {
  let ws: TestWorkspace;
  let members: TestUser[];
  let projectId: string;
  let taskIds: string[];

  beforeAll(async () => {
    ws = await makeWorkspace();
    members = [
      await addMember(ws, "MEMBER"),
      await addMember(ws, "MEMBER"),
      await addMember(ws, "ADMIN"),
      await addMember(ws, "VIEWER"),
    ];
    projectId = (await makeProjectRow(ws)).id;
    const assignees = [ws.owner, ...members];
    const tasks = await bulkTasks(ws, projectId, 60, (i) => ({ assigneeId: assignees[i % assignees.length]!.id }));
    taskIds = tasks.map((t) => t.id);
    const labels = await Promise.all(
      ["Bug", "UI", "Backend"].map((name) =>
        testDb().label.create({ data: { workspaceId: ws.id, name, color: "#3b82f6" }, select: { id: true } }),
      ),
    );
    await testDb().taskLabel.createMany({
      data: taskIds.flatMap((taskId, i) => [
        { taskId, labelId: labels[i % 3]!.id },
        { taskId, labelId: labels[(i + 1) % 3]!.id },
      ]),
    });
  });

  it("task.list issues the same few statements for 5 rows as for 50", async () => {
    const viewer = members[3]!;
    // Warm up the client (connection, first-use work) before counting.
    await measure(viewer, (c) => c.task.list({ workspaceSlug: ws.slug, limit: 1 }));

    const small = await measure(viewer, (c) => c.task.list({ workspaceSlug: ws.slug, limit: 5 }));
    const large = await measure(viewer, (c) => c.task.list({ workspaceSlug: ws.slug, limit: 50 }));
    expect(small.result.items).toHaveLength(5);
    expect(large.result.items).toHaveLength(50);
    for (const item of large.result.items) {
      expect(item.assignee).not.toBeNull();
      expect(item.labels).toHaveLength(2);
    }
    // Newest first (bulk rows were created one second apart).
    expect(large.result.items.slice(0, 5).map((t) => t.number)).toEqual([60, 59, 58, 57, 56]);
    expect(large.sql.length, large.sql.join("\n")).toBe(small.sql.length);
    expect(large.sql.length, large.sql.join("\n")).toBeLessThanOrEqual(MAX_STATEMENTS);

    // The next page costs the same.
    const next = await measure(viewer, (c) =>
      c.task.list({ workspaceSlug: ws.slug, limit: 50, cursor: large.result.nextCursor }),
    );
    expect(next.result.items).toHaveLength(10);
    expect(next.sql.length, next.sql.join("\n")).toBe(small.sql.length);

    // So do filters and other sorts.
    const filtered = await measure(viewer, (c) =>
      c.task.list({ workspaceSlug: ws.slug, limit: 50, sort: "position", filter: { projectId, status: ["TODO"] } }),
    );
    expect(filtered.result.items).toHaveLength(50);
    expect(filtered.sql.length, filtered.sql.join("\n")).toBe(small.sql.length);
  });

  it("comment.list does not grow with the number of comments", async () => {
    const taskId = taskIds[0]!;
    const authors = [ws.owner, ...members.slice(0, 3)];
    const base = Date.UTC(2026, 1, 1);
    await testDb().comment.createMany({
      data: Array.from({ length: 40 }, (_, i) => ({
        workspaceId: ws.id,
        taskId,
        authorId: authors[i % authors.length]!.id,
        body: `Comment ${i}`,
        createdAt: new Date(base + i * 1000),
      })),
    });
    const reader = members[0]!;
    await measure(reader, (c) => c.comment.list({ workspaceSlug: ws.slug, taskId, limit: 1 }));

    const small = await measure(reader, (c) => c.comment.list({ workspaceSlug: ws.slug, taskId, limit: 5 }));
    const large = await measure(reader, (c) => c.comment.list({ workspaceSlug: ws.slug, taskId, limit: 40 }));
    expect(small.result.items).toHaveLength(5);
    expect(large.result.items).toHaveLength(40);
    expect(large.result.items.map((c) => c.body)).toEqual(Array.from({ length: 40 }, (_, i) => `Comment ${i}`));
    expect(new Set(large.result.items.map((c) => c.author.id)).size).toBe(4);
    expect(large.sql.length, large.sql.join("\n")).toBe(small.sql.length);
    expect(large.sql.length, large.sql.join("\n")).toBeLessThanOrEqual(MAX_STATEMENTS);
  });

  it("activity.feed does not grow with the number of events", async () => {
    const actors = [ws.owner, ...members];
    const base = Date.UTC(2100, 2, 1); // newer than the events the fixtures recorded
    await recordActivity(
      testDb(),
      ...taskIds.map((taskId, i) => ({
        workspaceId: ws.id,
        actorId: actors[i % actors.length]!.id,
        action: "task.updated",
        entityType: "task",
        entityId: taskId,
        taskId,
        before: { title: `Before ${i}` },
        after: { title: `After ${i}` },
        createdAt: new Date(base + i * 1000),
      })),
    );
    const reader = members[3]!;
    await measure(reader, (c) => c.activity.feed({ workspaceSlug: ws.slug, limit: 1 }));

    const small = await measure(reader, (c) => c.activity.feed({ workspaceSlug: ws.slug, limit: 5 }));
    const large = await measure(reader, (c) => c.activity.feed({ workspaceSlug: ws.slug, limit: 60 }));
    expect(small.result.items).toHaveLength(5);
    expect(large.result.items).toHaveLength(60);
    expect(large.result.items.every((e) => e.task !== null && e.actor !== null)).toBe(true);
    expect(large.result.items[0]).toMatchObject({
      action: "task.updated",
      after: { title: "After 59" },
      task: { id: taskIds[59] },
    });
    expect(large.sql.length, large.sql.join("\n")).toBe(small.sql.length);
    expect(large.sql.length, large.sql.join("\n")).toBeLessThanOrEqual(MAX_STATEMENTS);

    const forTaskSmall = await measure(reader, (c) =>
      c.activity.forTask({ workspaceSlug: ws.slug, taskId: taskIds[0]!, limit: 1 }),
    );
    const forTaskLarge = await measure(reader, (c) =>
      c.activity.forTask({ workspaceSlug: ws.slug, taskId: taskIds[0]!, limit: 100 }),
    );
    expect(forTaskLarge.sql.length, forTaskLarge.sql.join("\n")).toBe(forTaskSmall.sql.length);
    expect(forTaskLarge.sql.length).toBeLessThanOrEqual(MAX_STATEMENTS);
  });

  it("project.list does not grow with the number of projects", async () => {
    const other = await makeWorkspace();
    const reader = other.owner;
    const first = await makeProjectRow(other);
    await bulkTasks(other, first.id, 3, (i) => ({ status: i === 0 ? "DONE" : "TODO" }));
    await measure(reader, (c) => c.project.list({ workspaceSlug: other.slug }));

    const one = await measure(reader, (c) => c.project.list({ workspaceSlug: other.slug }));
    expect(one.result.map((p) => [p.id, p.openCount, p.doneCount])).toEqual([[first.id, 2, 1]]);

    for (let i = 0; i < 12; i++) {
      const project = await makeProjectRow(other);
      await bulkTasks(other, project.id, 4, (j) => ({
        status: (["TODO", "IN_PROGRESS", "DONE", "CANCELED"] as const)[j]!,
      }));
    }
    const many = await measure(reader, (c) => c.project.list({ workspaceSlug: other.slug }));
    expect(many.result).toHaveLength(13);
    expect(many.result.filter((p) => p.id !== first.id).every((p) => p.openCount === 2 && p.doneCount === 2)).toBe(
      true,
    );
    expect(many.sql.length, many.sql.join("\n")).toBe(one.sql.length);
    expect(many.sql.length, many.sql.join("\n")).toBeLessThanOrEqual(MAX_STATEMENTS);
  });

  it("label.list and notification.list do not grow with their rows", async () => {
    const reader = members[1]!;
    const labelsBefore = await measure(reader, (c) => c.label.list({ workspaceSlug: ws.slug }));
    expect(labelsBefore.result.map((l) => [l.name, l.taskCount])).toEqual([
      ["Backend", 40],
      ["Bug", 40],
      ["UI", 40],
    ]);
    await testDb().label.createMany({
      data: Array.from({ length: 20 }, (_, i) => ({
        workspaceId: ws.id,
        name: `Extra ${String(i).padStart(2, "0")}`,
        color: "#000000",
      })),
    });
    const labelsAfter = await measure(reader, (c) => c.label.list({ workspaceSlug: ws.slug }));
    expect(labelsAfter.result).toHaveLength(23);
    expect(labelsAfter.sql.length, labelsAfter.sql.join("\n")).toBe(labelsBefore.sql.length);
    expect(labelsAfter.sql.length).toBeLessThanOrEqual(MAX_STATEMENTS);

    const base = Date.UTC(2026, 3, 1);
    await testDb().notification.createMany({
      data: taskIds.slice(0, 30).map((taskId, i) => ({
        userId: reader.id,
        workspaceId: ws.id,
        type: "MENTION" as const,
        actorId: members[i % 2 === 0 ? 0 : 2]!.id,
        taskId,
        createdAt: new Date(base + i * 1000),
      })),
    });
    await measure(reader, (c) => c.notification.list({ workspaceSlug: ws.slug, limit: 1 }));
    const small = await measure(reader, (c) => c.notification.list({ workspaceSlug: ws.slug, limit: 5 }));
    const large = await measure(reader, (c) => c.notification.list({ workspaceSlug: ws.slug, limit: 30 }));
    expect(small.result.items).toHaveLength(5);
    expect(large.result.items).toHaveLength(30);
    expect(large.result.unreadCount).toBe(30);
    expect(large.result.items.every((n) => n.task !== null && n.actor !== null)).toBe(true);
    expect(large.sql.length, large.sql.join("\n")).toBe(small.sql.length);
    expect(large.sql.length).toBeLessThanOrEqual(MAX_STATEMENTS);
  });

  it("task.list with filter.q: the same few statements for 5 rows as for 50; rare words read the GIN index, common ones walk", async () => {
    const reader = members[0]!;
    const other = await makeWorkspace();
    await addMember(other, "MEMBER", reader);
    const project = await makeProjectRow(other);
    const label = await testDb().label.create({
      data: { workspaceId: other.id, name: "Sparse", color: "#3b82f6" },
      select: { id: true },
    });
    // 3,000 tasks: more than a window (2,500 rows). Every title has "bulk"; 1 in 100 has the label; 3 have "rarity".
    const total = 3_000;
    const base = Date.UTC(2026, 0, 1);
    await testDb().task.createMany({
      data: Array.from({ length: total }, (_, i) => ({
        workspaceId: other.id,
        projectId: project.id,
        number: i + 1,
        title: `Bulk task ${i}${i % 1000 === 7 ? " rarity" : ""}`,
        creatorId: other.owner.id,
        position: `a${String(i).padStart(5, "0")}`,
        createdAt: new Date(base + i * 1000),
      })),
    });
    const ids = await testDb().task.findMany({
      where: { projectId: project.id },
      orderBy: { number: "asc" },
      select: { id: true },
    });
    await testDb().taskLabel.createMany({
      data: ids.filter((_, i) => i % 100 === 50).map((t) => ({ taskId: t.id, labelId: label.id })),
    });
    const list = (filter: Record<string, unknown>, limit: number) =>
      measure(reader, (c) => c.task.list({ workspaceSlug: other.slug, limit, filter }));
    const windows = (sql: string[]) => sql.filter((s) => s.includes("row_number() OVER")).length;
    const indexed = (sql: string[]) => sql.filter((s) => s.includes("MATERIALIZED")).length;
    await list({ q: "bulk" }, 1);

    const small = await list({ q: "bulk task" }, 5);
    const large = await list({ q: "bulk task" }, 50);
    expect(small.result.items).toHaveLength(5);
    expect(large.result.items).toHaveLength(50);
    expect(large.result.items.every((t) => t.title.startsWith("Bulk task"))).toBe(true);
    expect(large.sql.length, large.sql.join("\n")).toBe(small.sql.length);
    expect(large.sql.length).toBeLessThanOrEqual(MAX_STATEMENTS + 3); // + BEGIN, settings, COMMIT
    expect([windows(large.sql), indexed(large.sql)]).toEqual([1, 0]);

    // A word in 3 tasks of 3,000: one window finds 2 (the newest 2,500 rows), the GIN index the rest.
    const rare = await list({ q: "rarity" }, 50);
    expect(rare.result.items.map((t) => t.title).sort()).toEqual([
      "Bulk task 1007 rarity",
      "Bulk task 2007 rarity",
      "Bulk task 7 rarity",
    ]);
    expect([windows(rare.sql), indexed(rare.sql)]).toEqual([1, 1]);

    // A common word under a label on 1 task in 100: a second, longer window fills the page.
    const sparse = await list({ q: "bulk", labelId: label.id }, 28);
    expect(sparse.result.items).toHaveLength(28);
    expect([windows(sparse.sql), indexed(sparse.sql)]).toEqual([2, 0]);
  });

  it("search.tasks does not grow with the number of hits", async () => {
    const reader = members[0]!;
    await measure(reader, (c) => c.search.tasks({ workspaceSlug: ws.slug, q: "bulk", limit: 1 }));
    const small = await measure(reader, (c) => c.search.tasks({ workspaceSlug: ws.slug, q: "bulk task", limit: 2 }));
    const large = await measure(reader, (c) => c.search.tasks({ workspaceSlug: ws.slug, q: "bulk task", limit: 50 }));
    expect(small.result.hits).toHaveLength(2);
    expect(large.result.hits).toHaveLength(50);
    expect(large.sql.length, large.sql.join("\n")).toBe(small.sql.length);
    expect(large.sql.length).toBeLessThanOrEqual(MAX_STATEMENTS);
  });
});
