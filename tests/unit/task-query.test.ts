import { describe, expect, it } from "vitest";
import { AppError } from "@/server/errors";
import {
  DEFAULT_DIRECTION,
  afterCursorWhere,
  cursorValue,
  decodeCursor,
  encodeCursor,
  filterWhere,
  listQuery,
  orderByFor,
  type Cursor,
  type SortableRow,
} from "@/server/db/task-query";
import type { TaskSort } from "@/shared/schemas/task";

const WS = "ws_1";
const BASE = { workspaceId: WS, deletedAt: null };

/** Runs `fn`, which must throw, and returns what it threw. */
function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error("expected the call to throw");
}

/** A cursor as raw JSON, base64url-encoded, bypassing encodeCursor's types. */
function rawCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}

const INVALID_CURSOR = {
  code: "BAD_REQUEST",
  message: "Invalid cursor",
  details: { fieldErrors: { cursor: ["This cursor is not valid for this list; start from the first page"] } },
};

function expectInvalidCursor(raw: string, sort: TaskSort, direction: "asc" | "desc") {
  const error = thrownBy(() => decodeCursor(raw, sort, direction));
  expect(error).toBeInstanceOf(AppError);
  expect(error).toMatchObject(INVALID_CURSOR);
}

describe("encodeCursor / decodeCursor", () => {
  const cursors: Cursor[] = [
    { s: "created", d: "desc", v: "2026-03-01T10:20:30.456Z", id: "t_created" },
    { s: "updated", d: "asc", v: "2026-03-02T00:00:00.000Z", id: "t_updated" },
    { s: "priority", d: "desc", v: "HIGH", id: "t_priority" },
    { s: "due", d: "asc", v: "2026-12-31", id: "t_due" },
    { s: "due", d: "asc", v: null, id: "t_due_null" },
    { s: "position", d: "asc", v: "a0V", id: "t_position" },
  ];

  it.each(cursors)("round-trips a $s/$d cursor with v=$v", (cursor) => {
    const encoded = encodeCursor(cursor);
    expect(encoded).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(encoded, cursor.s, cursor.d)).toEqual(cursor);
  });

  it("drops extra properties a tampered cursor carries", () => {
    const raw = rawCursor({ s: "priority", d: "asc", v: "LOW", id: "t1", admin: true });
    expect(decodeCursor(raw, "priority", "asc")).toEqual({ s: "priority", d: "asc", v: "LOW", id: "t1" });
  });

  it("rejects garbage that is not base64 of JSON", () => {
    expectInvalidCursor("%%%not-a-cursor%%%", "created", "desc");
    expectInvalidCursor("bm90IGpzb24", "created", "desc"); // "not json"
    expectInvalidCursor("", "created", "desc");
  });

  it("rejects JSON that is not a cursor object", () => {
    expectInvalidCursor(rawCursor(null), "created", "desc");
    expectInvalidCursor(rawCursor(42), "created", "desc");
    expectInvalidCursor(rawCursor("created"), "created", "desc");
    expectInvalidCursor(rawCursor([]), "created", "desc");
  });

  it("rejects a cursor made for another sort", () => {
    const encoded = encodeCursor({ s: "created", d: "desc", v: "2026-03-01T00:00:00.000Z", id: "t1" });
    expectInvalidCursor(encoded, "updated", "desc");
  });

  it("rejects a cursor made for the other direction", () => {
    const encoded = encodeCursor({ s: "created", d: "desc", v: "2026-03-01T00:00:00.000Z", id: "t1" });
    expectInvalidCursor(encoded, "created", "asc");
  });

  it("rejects a missing or non-string id and a non-string value", () => {
    expectInvalidCursor(rawCursor({ s: "created", d: "desc", v: "2026-03-01T00:00:00.000Z" }), "created", "desc");
    expectInvalidCursor(
      rawCursor({ s: "created", d: "desc", v: "2026-03-01T00:00:00.000Z", id: 7 }),
      "created",
      "desc",
    );
    expectInvalidCursor(rawCursor({ s: "created", d: "desc", v: 1767225600000, id: "t1" }), "created", "desc");
    expectInvalidCursor(rawCursor({ s: "created", d: "desc", id: "t1" }), "created", "desc");
  });

  it("rejects a created/updated cursor whose value is not a date", () => {
    expectInvalidCursor(rawCursor({ s: "created", d: "desc", v: "not-a-date", id: "t1" }), "created", "desc");
    expectInvalidCursor(rawCursor({ s: "updated", d: "desc", v: "yesterday", id: "t1" }), "updated", "desc");
  });

  it("rejects a priority cursor with an unknown priority", () => {
    expectInvalidCursor(rawCursor({ s: "priority", d: "desc", v: "CRITICAL", id: "t1" }), "priority", "desc");
    expectInvalidCursor(rawCursor({ s: "priority", d: "desc", v: "high", id: "t1" }), "priority", "desc");
  });

  it("rejects a due cursor with a malformed date", () => {
    expectInvalidCursor(rawCursor({ s: "due", d: "asc", v: "2026-1-5", id: "t1" }), "due", "asc");
    expectInvalidCursor(rawCursor({ s: "due", d: "asc", v: "2026-12-31T00:00:00.000Z", id: "t1" }), "due", "asc");
    expectInvalidCursor(rawCursor({ s: "due", d: "asc", v: "tomorrow", id: "t1" }), "due", "asc");
  });

  it("rejects a due cursor whose date has the right shape but does not exist", () => {
    // "2026-13-45" matches \d{4}-\d{2}-\d{2}; accepting it makes afterCursorWhere build an Invalid Date.
    expectInvalidCursor(rawCursor({ s: "due", d: "asc", v: "2026-13-45", id: "t1" }), "due", "asc");
  });

  it("rejects a position cursor with an empty or over-long value", () => {
    expectInvalidCursor(rawCursor({ s: "position", d: "asc", v: "", id: "t1" }), "position", "asc");
    expectInvalidCursor(rawCursor({ s: "position", d: "asc", v: "a".repeat(201), id: "t1" }), "position", "asc");
    expect(
      decodeCursor(rawCursor({ s: "position", d: "asc", v: "a".repeat(200), id: "t1" }), "position", "asc").v,
    ).toBe("a".repeat(200));
  });
});

describe("cursorValue", () => {
  const row: SortableRow = {
    id: "t1",
    createdAt: new Date("2026-01-02T03:04:05.678Z"),
    updatedAt: new Date("2026-02-03T04:05:06.789Z"),
    priority: "MEDIUM",
    dueDate: new Date("2026-12-31T00:00:00.000Z"),
    position: "a1",
  };

  it("reads the sort column of a row", () => {
    expect(cursorValue("created", row)).toBe("2026-01-02T03:04:05.678Z");
    expect(cursorValue("updated", row)).toBe("2026-02-03T04:05:06.789Z");
    expect(cursorValue("priority", row)).toBe("MEDIUM");
    expect(cursorValue("due", row)).toBe("2026-12-31");
    expect(cursorValue("due", { ...row, dueDate: null })).toBeNull();
    expect(cursorValue("position", row)).toBe("a1");
  });
});

describe("filterWhere", () => {
  it("scopes an empty filter to live tasks of the workspace", () => {
    expect(filterWhere(WS, {})).toEqual(BASE);
  });

  it("filters by project", () => {
    expect(filterWhere(WS, { projectId: "p1" })).toEqual({ ...BASE, projectId: "p1" });
  });

  it("filters by status and priority lists, ignoring empty lists", () => {
    expect(filterWhere(WS, { status: ["TODO", "IN_PROGRESS"] })).toEqual({
      ...BASE,
      status: { in: ["TODO", "IN_PROGRESS"] },
    });
    expect(filterWhere(WS, { priority: ["HIGH", "URGENT"] })).toEqual({
      ...BASE,
      priority: { in: ["HIGH", "URGENT"] },
    });
    expect(filterWhere(WS, { status: [], priority: [] })).toEqual(BASE);
  });

  it("filters unassigned tasks with assigneeId null and a member's tasks with an id", () => {
    expect(filterWhere(WS, { assigneeId: null })).toEqual({ ...BASE, assigneeId: null });
    expect(filterWhere(WS, { assigneeId: "u1" })).toEqual({ ...BASE, assigneeId: "u1" });
    expect(filterWhere(WS, { assigneeId: undefined })).toEqual(BASE);
  });

  it("filters by label through the join table", () => {
    expect(filterWhere(WS, { labelId: "l1" })).toEqual({ ...BASE, labels: { some: { labelId: "l1" } } });
  });

  it("builds due date ranges from calendar dates at UTC midnight", () => {
    expect(filterWhere(WS, { dueBefore: "2026-06-30" })).toEqual({
      ...BASE,
      dueDate: { lte: new Date("2026-06-30T00:00:00.000Z") },
    });
    expect(filterWhere(WS, { dueAfter: "2026-06-01" })).toEqual({
      ...BASE,
      dueDate: { gte: new Date("2026-06-01T00:00:00.000Z") },
    });
    expect(filterWhere(WS, { dueAfter: "2026-06-01", dueBefore: "2026-06-30" })).toEqual({
      ...BASE,
      dueDate: { lte: new Date("2026-06-30T00:00:00.000Z"), gte: new Date("2026-06-01T00:00:00.000Z") },
    });
  });

  it("hasDueDate true requires a due date and combines with a range", () => {
    expect(filterWhere(WS, { hasDueDate: true })).toEqual({ ...BASE, dueDate: { not: null } });
    expect(filterWhere(WS, { hasDueDate: true, dueBefore: "2026-06-30" })).toEqual({
      ...BASE,
      dueDate: { lte: new Date("2026-06-30T00:00:00.000Z"), not: null },
    });
  });

  it("hasDueDate false asks for tasks without a due date, overriding any range", () => {
    expect(filterWhere(WS, { hasDueDate: false })).toEqual({ ...BASE, dueDate: null });
    expect(filterWhere(WS, { hasDueDate: false, dueBefore: "2026-06-30", dueAfter: "2026-06-01" })).toEqual({
      ...BASE,
      dueDate: null,
    });
  });

  it("combines every filter", () => {
    expect(
      filterWhere(WS, {
        projectId: "p1",
        status: ["DONE"],
        priority: ["LOW"],
        assigneeId: "u2",
        labelId: "l9",
        dueAfter: "2026-01-01",
      }),
    ).toEqual({
      ...BASE,
      projectId: "p1",
      status: { in: ["DONE"] },
      priority: { in: ["LOW"] },
      assigneeId: "u2",
      labels: { some: { labelId: "l9" } },
      dueDate: { gte: new Date("2026-01-01T00:00:00.000Z") },
    });
  });
});

describe("orderByFor", () => {
  it("orders by the sort column then id, in one direction", () => {
    expect(orderByFor("created", "desc")).toEqual([{ createdAt: "desc" }, { id: "desc" }]);
    expect(orderByFor("created", "asc")).toEqual([{ createdAt: "asc" }, { id: "asc" }]);
    expect(orderByFor("updated", "desc")).toEqual([{ updatedAt: "desc" }, { id: "desc" }]);
    expect(orderByFor("priority", "desc")).toEqual([{ priority: "desc" }, { id: "desc" }]);
    expect(orderByFor("position", "asc")).toEqual([{ position: "asc" }, { id: "asc" }]);
  });

  it("puts tasks without a due date last in both directions", () => {
    expect(orderByFor("due", "asc")).toEqual([{ dueDate: { sort: "asc", nulls: "last" } }, { id: "asc" }]);
    expect(orderByFor("due", "desc")).toEqual([{ dueDate: { sort: "desc", nulls: "last" } }, { id: "desc" }]);
  });
});

describe("afterCursorWhere", () => {
  const at = "2026-03-01T10:00:00.000Z";

  it("created desc: older rows, or the same instant with a smaller id", () => {
    const v = new Date(at);
    expect(afterCursorWhere({ s: "created", d: "desc", v: at, id: "t5" })).toEqual({
      AND: [{ createdAt: { lte: v } }, { OR: [{ createdAt: { lt: v } }, { createdAt: v, id: { lt: "t5" } }] }],
    });
  });

  it("created asc: newer rows, or the same instant with a larger id", () => {
    const v = new Date(at);
    expect(afterCursorWhere({ s: "created", d: "asc", v: at, id: "t5" })).toEqual({
      AND: [{ createdAt: { gte: v } }, { OR: [{ createdAt: { gt: v } }, { createdAt: v, id: { gt: "t5" } }] }],
    });
  });

  it("updated uses the updatedAt column", () => {
    const v = new Date(at);
    expect(afterCursorWhere({ s: "updated", d: "desc", v: at, id: "t5" })).toEqual({
      AND: [{ updatedAt: { lte: v } }, { OR: [{ updatedAt: { lt: v } }, { updatedAt: v, id: { lt: "t5" } }] }],
    });
  });

  it("priority desc: the lower priorities, or the same priority with a smaller id", () => {
    expect(afterCursorWhere({ s: "priority", d: "desc", v: "MEDIUM", id: "t5" })).toEqual({
      OR: [{ priority: { in: ["NONE", "LOW"] } }, { priority: "MEDIUM", id: { lt: "t5" } }],
    });
    expect(afterCursorWhere({ s: "priority", d: "desc", v: "URGENT", id: "t5" })).toEqual({
      OR: [{ priority: { in: ["NONE", "LOW", "MEDIUM", "HIGH"] } }, { priority: "URGENT", id: { lt: "t5" } }],
    });
    expect(afterCursorWhere({ s: "priority", d: "desc", v: "NONE", id: "t5" })).toEqual({
      OR: [{ priority: { in: [] } }, { priority: "NONE", id: { lt: "t5" } }],
    });
  });

  it("priority asc: the higher priorities, or the same priority with a larger id", () => {
    expect(afterCursorWhere({ s: "priority", d: "asc", v: "MEDIUM", id: "t5" })).toEqual({
      OR: [{ priority: { in: ["HIGH", "URGENT"] } }, { priority: "MEDIUM", id: { gt: "t5" } }],
    });
    expect(afterCursorWhere({ s: "priority", d: "asc", v: "NONE", id: "t5" })).toEqual({
      OR: [{ priority: { in: ["LOW", "MEDIUM", "HIGH", "URGENT"] } }, { priority: "NONE", id: { gt: "t5" } }],
    });
    expect(afterCursorWhere({ s: "priority", d: "asc", v: "URGENT", id: "t5" })).toEqual({
      OR: [{ priority: { in: [] } }, { priority: "URGENT", id: { gt: "t5" } }],
    });
  });

  it("due asc with a date: later dates, the same date with a larger id, then every undated task", () => {
    const v = new Date("2026-12-31T00:00:00.000Z");
    expect(afterCursorWhere({ s: "due", d: "asc", v: "2026-12-31", id: "t5" })).toEqual({
      OR: [{ dueDate: { gt: v } }, { dueDate: v, id: { gt: "t5" } }, { dueDate: null }],
    });
  });

  it("due desc with a date: earlier dates, the same date with a smaller id, then every undated task", () => {
    const v = new Date("2026-12-31T00:00:00.000Z");
    expect(afterCursorWhere({ s: "due", d: "desc", v: "2026-12-31", id: "t5" })).toEqual({
      OR: [{ dueDate: { lt: v } }, { dueDate: v, id: { lt: "t5" } }, { dueDate: null }],
    });
  });

  it("due with a null cursor value: only undated tasks beyond the id (nulls are last)", () => {
    expect(afterCursorWhere({ s: "due", d: "asc", v: null, id: "t5" })).toEqual({ dueDate: null, id: { gt: "t5" } });
    expect(afterCursorWhere({ s: "due", d: "desc", v: null, id: "t5" })).toEqual({ dueDate: null, id: { lt: "t5" } });
  });

  it("position asc and desc", () => {
    expect(afterCursorWhere({ s: "position", d: "asc", v: "a0", id: "t5" })).toEqual({
      AND: [{ position: { gte: "a0" } }, { OR: [{ position: { gt: "a0" } }, { position: "a0", id: { gt: "t5" } }] }],
    });
    expect(afterCursorWhere({ s: "position", d: "desc", v: "a0", id: "t5" })).toEqual({
      AND: [{ position: { lte: "a0" } }, { OR: [{ position: { lt: "a0" } }, { position: "a0", id: { lt: "t5" } }] }],
    });
  });
});

describe("listQuery", () => {
  it("uses the default direction of each sort", () => {
    expect(DEFAULT_DIRECTION).toEqual({
      created: "desc",
      updated: "desc",
      priority: "desc",
      due: "asc",
      position: "asc",
      relevance: "desc",
    });
    expect(listQuery({ workspaceId: WS, filter: {}, sort: "created", limit: 10 }).direction).toBe("desc");
    expect(listQuery({ workspaceId: WS, filter: {}, sort: "updated", limit: 10 }).direction).toBe("desc");
    expect(listQuery({ workspaceId: WS, filter: {}, sort: "priority", limit: 10 }).direction).toBe("desc");
    expect(listQuery({ workspaceId: WS, filter: {}, sort: "due", limit: 10 }).direction).toBe("asc");
    expect(listQuery({ workspaceId: WS, filter: { projectId: "p1" }, sort: "position", limit: 10 }).direction).toBe(
      "asc",
    );
  });

  it("builds the first page: filter only, one extra row", () => {
    expect(listQuery({ workspaceId: WS, filter: { status: ["TODO"] }, sort: "due", limit: 25 })).toEqual({
      where: { ...BASE, status: { in: ["TODO"] } },
      orderBy: [{ dueDate: { sort: "asc", nulls: "last" } }, { id: "asc" }],
      take: 26,
      direction: "asc",
    });
  });

  it("treats a null or empty cursor as the first page", () => {
    expect(listQuery({ workspaceId: WS, filter: {}, sort: "created", cursor: null, limit: 1 }).where).toEqual(BASE);
    expect(listQuery({ workspaceId: WS, filter: {}, sort: "created", cursor: "", limit: 1 }).where).toEqual(BASE);
  });

  it("honours an explicit direction", () => {
    const q = listQuery({ workspaceId: WS, filter: {}, sort: "created", direction: "asc", limit: 50 });
    expect(q.direction).toBe("asc");
    expect(q.orderBy).toEqual([{ createdAt: "asc" }, { id: "asc" }]);
    expect(q.take).toBe(51);
  });

  it("ANDs the filter with the rows after the cursor", () => {
    const cursor = encodeCursor({ s: "priority", d: "desc", v: "HIGH", id: "t9" });
    expect(listQuery({ workspaceId: WS, filter: { labelId: "l1" }, sort: "priority", cursor, limit: 5 })).toEqual({
      where: {
        AND: [
          { ...BASE, labels: { some: { labelId: "l1" } } },
          { OR: [{ priority: { in: ["NONE", "LOW", "MEDIUM"] } }, { priority: "HIGH", id: { lt: "t9" } }] },
        ],
      },
      orderBy: [{ priority: "desc" }, { id: "desc" }],
      take: 6,
      direction: "desc",
    });
  });

  it("rejects a cursor from a list in the other direction", () => {
    const cursor = encodeCursor({ s: "created", d: "desc", v: "2026-03-01T00:00:00.000Z", id: "t1" });
    const error = thrownBy(() =>
      listQuery({ workspaceId: WS, filter: {}, sort: "created", direction: "asc", cursor, limit: 5 }),
    );
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject(INVALID_CURSOR);
  });

  it("sorting by board position needs a project", () => {
    const error = thrownBy(() => listQuery({ workspaceId: WS, filter: {}, sort: "position", limit: 5 }));
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({
      code: "BAD_REQUEST",
      message: "Board order needs a project",
      details: { fieldErrors: { sort: ["Sorting by board position needs filter.projectId"] } },
    });
  });

  it("sorts by board position within a project", () => {
    expect(listQuery({ workspaceId: WS, filter: { projectId: "p1" }, sort: "position", limit: 100 })).toEqual({
      where: { ...BASE, projectId: "p1" },
      orderBy: [{ position: "asc" }, { id: "asc" }],
      take: 101,
      direction: "asc",
    });
  });
});
