/**
 * The task list's SQL page (db/task-page.ts) against Prisma's query for the same request
 * (db/task-query.ts listQuery + db/tasks.listTasks): random tasks, random filters, every sort and
 * direction, random page sizes. The service pages through the SQL; the oracle reads Prisma's
 * query without paging. Same tasks, same order, same rows.
 */
import { beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { testDb } from "../setup/file-db";
import { addMember, callerFor, makeProject, makeWorkspace, type TestWorkspace } from "../helpers/factories";
import { listQuery, type Direction } from "@/server/db/task-query";
import { listTasks } from "@/server/db/tasks";
import { listTaskPage } from "@/server/db/task-page";
import { toTaskDto } from "@/server/services/tasks/mapping";
import type { TaskFilter, TaskSort } from "@/shared/schemas/task";
import { TASK_PRIORITIES, TASK_STATUSES } from "@/shared/tracker";

process.env.RATE_LIMIT_DISABLED = "true";

type KeyedSort = Exclude<TaskSort, "relevance">;
const SORTS: KeyedSort[] = ["created", "updated", "priority", "due", "position"];

describe("the task list's SQL page", () => {
  let ws: TestWorkspace;
  let projects: string[];
  let people: string[];
  let labels: string[];

  beforeAll(async () => {
    ws = await makeWorkspace();
    const member = await addMember(ws, "MEMBER");
    people = [ws.owner.id, member.id];
    projects = [(await makeProject(ws)).id, (await makeProject(ws)).id];
    const owner = callerFor(ws.owner);
    labels = [];
    for (const name of ["bug", "Feature", "ux"])
      labels.push((await owner.label.create({ workspaceSlug: ws.slug, name, color: "#3b82f6" })).id);
    // 70 tasks with a deterministic spread of every field the filters and sorts read.
    for (let i = 0; i < 70; i++) {
      await owner.task.create({
        workspaceSlug: ws.slug,
        projectId: projects[i % 2]!,
        title: `Task ${i}`,
        status: TASK_STATUSES[i % TASK_STATUSES.length],
        priority: TASK_PRIORITIES[(i * 3) % TASK_PRIORITIES.length],
        assigneeId: i % 3 === 0 ? null : people[i % 2],
        labelIds: labels.filter((_, l) => (i + l) % 4 === 0),
        dueDate: i % 5 === 0 ? null : `2026-0${1 + (i % 3)}-1${i % 7}`,
      });
    }
    // A few moves so positions and updatedAt differ from creation order.
    const { items } = await owner.task.list({ workspaceSlug: ws.slug, limit: 10 });
    for (const task of items)
      await owner.task.update({
        workspaceSlug: ws.slug,
        taskId: task.id,
        version: task.version,
        patch: { title: `${task.title}!` },
      });
  }, 120_000);

  const filterArb = () =>
    fc.record(
      {
        projectId: fc.constantFrom(...projects),
        status: fc.subarray([...TASK_STATUSES], { minLength: 1 }),
        priority: fc.subarray([...TASK_PRIORITIES], { minLength: 1 }),
        assigneeId: fc.constantFrom<string | null>(null, ...people),
        labelId: fc.constantFrom(...labels),
        dueBefore: fc.constantFrom("2026-02-12", "2026-03-15"),
        dueAfter: fc.constantFrom("2026-01-11", "2026-02-14"),
        hasDueDate: fc.boolean(),
      },
      { requiredKeys: [] },
    );

  it("returns what Prisma's query returns, page after page, for any filter, sort and direction", async () => {
    const api = callerFor(ws.owner);
    await fc.assert(
      fc.asyncProperty(
        filterArb(),
        fc.constantFrom(...SORTS),
        fc.constantFrom<Direction | undefined>("asc", "desc", undefined),
        fc.integer({ min: 1, max: 30 }),
        async (rawFilter, sort, order, limit) => {
          const filter: TaskFilter =
            sort === "position" && !rawFilter.projectId ? { ...rawFilter, projectId: projects[0] } : rawFilter;
          const expected = await listTasks(
            testDb(),
            listQuery({ workspaceId: ws.id, filter, sort, direction: order, limit: 1_000 }),
          );
          const got = [];
          let cursor: string | null = null;
          do {
            const page = await api.task.list({ workspaceSlug: ws.slug, filter, sort, order, limit, cursor });
            got.push(...page.items);
            cursor = page.nextCursor;
          } while (cursor && got.length <= expected.length);
          expect(got).toEqual(expected.map(toTaskDto));
        },
      ),
      { numRuns: 60 },
    );
  }, 120_000);

  it("reads rows exactly as Prisma maps them: dates, nulls, labels, the assignee", async () => {
    for (const sort of SORTS) {
      const filter = { projectId: projects[1] };
      const prisma = await listTasks(testDb(), listQuery({ workspaceId: ws.id, filter, sort, limit: 100 }));
      const sql = await listTaskPage(testDb(), {
        workspaceId: ws.id,
        filter,
        sort,
        direction: sort === "due" || sort === "position" ? "asc" : "desc",
        after: null,
        limit: 101,
      });
      // Labels come in any order from either query; the DTO sorts them.
      const normalised = (rows: typeof prisma) =>
        rows.map((r) => ({ ...r, labels: [...r.labels].sort((a, b) => a.label.id.localeCompare(b.label.id)) }));
      expect(normalised(sql)).toEqual(normalised(prisma));
    }
  });
});
