/**
 * Maintained counts (ProjectStatusCount, Label.taskCount; docs/decisions/0025) equal a
 * scan of the tasks after any sequence of writes: through the API, through raw SQL
 * (what Prisma Studio or a script does), and many at once on real PostgreSQL.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { testDb } from "../setup/file-db";
import {
  addMember,
  callerFor,
  makeProject,
  makeWorkspace,
  uid,
  type TestUser,
  type TestWorkspace,
} from "../helpers/factories";
import { TASK_STATUSES, type TaskStatus } from "@/shared/tracker";

process.env.RATE_LIMIT_DISABLED = "true";

const SEED = Number(process.env.COUNTS_SEED ?? 20261202);

type Counts = { projects: Record<string, number>; labels: Record<string, number> };

/** What the triggers kept: non-zero counts by "project/status" and label id. */
async function maintained(workspaceId: string): Promise<Counts> {
  const psc = await testDb().projectStatusCount.findMany({
    where: { workspaceId },
    select: { projectId: true, status: true, count: true },
  });
  const labels = await testDb().label.findMany({ where: { workspaceId }, select: { id: true, taskCount: true } });
  return {
    projects: Object.fromEntries(psc.filter((r) => r.count !== 0).map((r) => [`${r.projectId}/${r.status}`, r.count])),
    labels: Object.fromEntries(labels.filter((l) => l.taskCount !== 0).map((l) => [l.id, l.taskCount])),
  };
}

/** The same counts by scanning live tasks. */
async function scanned(workspaceId: string): Promise<Counts> {
  const byStatus = await testDb().task.groupBy({
    by: ["projectId", "status"],
    where: { workspaceId, deletedAt: null },
    _count: { _all: true },
  });
  const labels = await testDb().label.findMany({
    where: { workspaceId },
    select: { id: true, _count: { select: { tasks: { where: { task: { deletedAt: null } } } } } },
  });
  return {
    projects: Object.fromEntries(byStatus.map((r) => [`${r.projectId}/${r.status}`, r._count._all])),
    labels: Object.fromEntries(labels.filter((l) => l._count.tasks !== 0).map((l) => [l.id, l._count.tasks])),
  };
}

async function expectCountsMatch(workspaceId: string): Promise<void> {
  expect(await maintained(workspaceId)).toEqual(await scanned(workspaceId));
}

type World = { ws: TestWorkspace; member: TestUser; projects: string[]; labels: string[] };

async function world(): Promise<World> {
  const ws = await makeWorkspace();
  const member = await addMember(ws, "MEMBER");
  const projects = [(await makeProject(ws)).id, (await makeProject(ws)).id];
  const labels: string[] = [];
  for (const name of ["bug", "ui", "api", "docs"])
    labels.push(
      (await callerFor(ws.owner).label.create({ workspaceSlug: ws.slug, name: `${name}-${uid()}`, color: "#3b82f6" }))
        .id,
    );
  return { ws, member, projects, labels };
}

/** Live task ids of the workspace, in a stable order (for picking one by index). */
async function liveTasks(workspaceId: string) {
  return testDb().task.findMany({
    where: { workspaceId, deletedAt: null },
    orderBy: { id: "asc" },
    select: { id: true, version: true, projectId: true },
  });
}

/** Any task ids, deleted ones too (raw SQL can touch those). */
async function allTasks(workspaceId: string) {
  return testDb().task.findMany({
    where: { workspaceId },
    orderBy: { id: "asc" },
    select: { id: true, projectId: true },
  });
}

const status = fc.constantFrom<TaskStatus>(...TASK_STATUSES);
const pick = fc.nat({ max: 1000 });
const labelSet = fc.subarray([0, 1, 2, 3]);

/** One write, through the API or behind its back. */
const operation = fc.oneof(
  fc.record({ kind: fc.constant("create" as const), project: fc.nat({ max: 1 }), status, labels: labelSet }),
  fc.record({ kind: fc.constant("update status" as const), task: pick, status }),
  fc.record({ kind: fc.constant("update labels" as const), task: pick, labels: labelSet }),
  fc.record({ kind: fc.constant("move" as const), task: pick, status }),
  fc.record({ kind: fc.constant("delete" as const), task: pick }),
  fc.record({ kind: fc.constant("sql: restore" as const), task: pick }),
  fc.record({ kind: fc.constant("sql: hard delete" as const), task: pick }),
  fc.record({ kind: fc.constant("sql: move to other project" as const), task: pick }),
  fc.record({ kind: fc.constant("sql: bulk status" as const), project: fc.nat({ max: 1 }), status }),
  fc.record({ kind: fc.constant("sql: add label" as const), task: pick, label: fc.nat({ max: 3 }) }),
  fc.record({ kind: fc.constant("sql: relabel row" as const), task: pick, label: fc.nat({ max: 3 }) }),
  fc.record({ kind: fc.constant("sql: delete label" as const), label: fc.nat({ max: 3 }) }),
);
type Operation = typeof operation extends fc.Arbitrary<infer T> ? T : never;

async function apply(w: World, op: Operation): Promise<void> {
  const api = callerFor(w.member);
  const slug = w.ws.slug;
  const labelIds = async (indexes: number[]) => {
    const existing = new Set(
      (await testDb().label.findMany({ where: { workspaceId: w.ws.id }, select: { id: true } })).map((l) => l.id),
    );
    return indexes.map((i) => w.labels[i]!).filter((id) => existing.has(id));
  };
  const live = await liveTasks(w.ws.id);
  const task = "task" in op && live.length ? live[op.task % live.length]! : null;
  switch (op.kind) {
    case "create":
      await api.task.create({
        workspaceSlug: slug,
        projectId: w.projects[op.project]!,
        title: `Task ${uid()}`,
        status: op.status,
        labelIds: await labelIds(op.labels),
      });
      return;
    case "update status":
      if (task)
        await api.task.update({
          workspaceSlug: slug,
          taskId: task.id,
          version: task.version,
          patch: { status: op.status },
        });
      return;
    case "update labels":
      if (task)
        await api.task.update({
          workspaceSlug: slug,
          taskId: task.id,
          version: task.version,
          patch: { labelIds: await labelIds(op.labels) },
        });
      return;
    case "move":
      if (task) await api.task.move({ workspaceSlug: slug, taskId: task.id, status: op.status });
      return;
    case "delete":
      if (task) await api.task.delete({ workspaceSlug: slug, taskId: task.id });
      return;
    case "sql: restore": {
      const all = await allTasks(w.ws.id);
      const any = all[op.task % Math.max(1, all.length)];
      if (any) await testDb().$executeRaw`UPDATE "Task" SET "deletedAt" = NULL WHERE id = ${any.id}`;
      return;
    }
    case "sql: hard delete": {
      const all = await allTasks(w.ws.id);
      const any = all[op.task % Math.max(1, all.length)];
      if (any) await testDb().$executeRaw`DELETE FROM "Task" WHERE id = ${any.id}`;
      return;
    }
    case "sql: move to other project":
      if (task)
        await testDb()
          .$executeRaw`UPDATE "Task" SET "projectId" = ${w.projects.find((p) => p !== task.projectId)!}, number = number + 100000 WHERE id = ${task.id}`;
      return;
    case "sql: bulk status":
      await testDb()
        .$executeRaw`UPDATE "Task" SET status = ${op.status}::"TaskStatus" WHERE "projectId" = ${w.projects[op.project]!}`;
      return;
    case "sql: add label": {
      const [label] = await labelIds([op.label]);
      if (task && label)
        await testDb()
          .$executeRaw`INSERT INTO "TaskLabel" ("taskId", "labelId") VALUES (${task.id}, ${label}) ON CONFLICT DO NOTHING`;
      return;
    }
    case "sql: relabel row": {
      // An UPDATE of a TaskLabel row: the old label loses the task, the new one gains it.
      const [label] = await labelIds([op.label]);
      if (task && label)
        await testDb()
          .$executeRaw`UPDATE "TaskLabel" SET "labelId" = ${label} WHERE "taskId" = ${task.id} AND "labelId" <> ${label} AND NOT EXISTS (SELECT 1 FROM "TaskLabel" WHERE "taskId" = ${task.id} AND "labelId" = ${label})`;
      return;
    }
    case "sql: delete label":
      await testDb().$executeRaw`DELETE FROM "Label" WHERE id = ${w.labels[op.label]!}`;
      return;
  }
}

describe("maintained counts equal a scan", () => {
  it("after random sequences of writes through the API and raw SQL", { timeout: 240_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(operation, { minLength: 5, maxLength: 25 }), async (ops) => {
        const w = await world();
        for (const op of ops) {
          await apply(w, op);
          await expectCountsMatch(w.ws.id);
        }
      }),
      { seed: SEED, numRuns: 25 },
    );
  });

  it(
    "after many creates, moves, relabels and deletes at once (no deadlock, nothing lost)",
    { timeout: 120_000 },
    async () => {
      const w = await world();
      const api = callerFor(w.member);
      const slug = w.ws.slug;
      // Labels in crossed orders: two relabelings that lock them in opposite orders would deadlock.
      const orders = [
        w.labels,
        [...w.labels].reverse(),
        [w.labels[1]!, w.labels[3]!, w.labels[0]!],
        [w.labels[2]!, w.labels[0]!],
      ];
      const created = await Promise.all(
        Array.from({ length: 24 }, (_, i) =>
          api.task.create({
            workspaceSlug: slug,
            projectId: w.projects[i % 2]!,
            title: `Parallel ${i}`,
            status: TASK_STATUSES[i % TASK_STATUSES.length],
            labelIds: orders[i % orders.length],
          }),
        ),
      );
      await expectCountsMatch(w.ws.id);
      const rounds = 3;
      for (let round = 0; round < rounds; round++) {
        const tasks = await liveTasks(w.ws.id);
        const results = await Promise.allSettled(
          tasks.flatMap((t, i) => [
            api.task.move({
              workspaceSlug: slug,
              taskId: t.id,
              status: TASK_STATUSES[(i + round) % TASK_STATUSES.length]!,
            }),
            api.task.update({
              workspaceSlug: slug,
              taskId: t.id,
              version: t.version,
              patch: { labelIds: orders[(i + round + 1) % orders.length] },
            }),
            ...(i % 7 === round ? [api.task.delete({ workspaceSlug: slug, taskId: t.id })] : []),
          ]),
        );
        // Nothing fails but a move racing a delete of the same task (NOT_FOUND): never a deadlock or a 5xx.
        const failures = results.flatMap((r) =>
          r.status === "rejected" ? [(r.reason as { code?: string }).code ?? String(r.reason)] : [],
        );
        expect(failures.filter((code) => code !== "NOT_FOUND")).toEqual([]);
        await expectCountsMatch(w.ws.id);
      }
      expect(created).toHaveLength(24);
    },
  );

  it("reads through the API: project.list, project.byKey, task.statusCounts and label.list", async () => {
    const w = await world();
    const api = callerFor(w.member);
    const [p1] = w.projects;
    for (const s of ["TODO", "TODO", "DONE", "CANCELED", "IN_PROGRESS"] as const) {
      await api.task.create({
        workspaceSlug: w.ws.slug,
        projectId: p1!,
        title: `Count ${s}`,
        status: s,
        labelIds: [w.labels[0]!],
      });
    }
    const doomed = await api.task.create({
      workspaceSlug: w.ws.slug,
      projectId: p1!,
      title: "Deleted",
      status: "TODO",
      labelIds: [w.labels[0]!, w.labels[1]!],
    });
    await api.task.delete({ workspaceSlug: w.ws.slug, taskId: doomed.id });

    const project = (await api.project.list({ workspaceSlug: w.ws.slug })).find((p) => p.id === p1)!;
    expect([project.openCount, project.doneCount]).toEqual([3, 2]);
    expect(await api.project.byKey({ workspaceSlug: w.ws.slug, key: project.key })).toMatchObject({
      openCount: 3,
      doneCount: 2,
    });
    expect(await api.task.statusCounts({ workspaceSlug: w.ws.slug, projectId: p1! })).toEqual({
      BACKLOG: 0,
      TODO: 2,
      IN_PROGRESS: 1,
      IN_REVIEW: 0,
      DONE: 1,
      CANCELED: 1,
    });
    const labels = await api.label.list({ workspaceSlug: w.ws.slug });
    expect(labels.find((l) => l.id === w.labels[0])?.taskCount).toBe(5);
    expect(labels.find((l) => l.id === w.labels[1])?.taskCount).toBe(0);
  });

  it("never shows another workspace's counts: statusCounts of a foreign project is all zeros", async () => {
    const a = await world();
    const b = await world();
    await callerFor(b.member).task.create({ workspaceSlug: b.ws.slug, projectId: b.projects[0]!, title: "B's task" });
    const counts = await callerFor(a.member).task.statusCounts({ workspaceSlug: a.ws.slug, projectId: b.projects[0]! });
    expect(Object.values(counts).every((n) => n === 0)).toBe(true);
  });
});
