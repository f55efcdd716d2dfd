import { describe, expect, it } from "vitest";
import { columnTasks, dropTarget, withTaskAfter, withoutTask, type ColumnData } from "@/features/tasks/board-cache";
import type { TaskDto } from "@/shared/schemas/task";

function task(id: string, status: TaskDto["status"] = "TODO"): TaskDto {
  const now = new Date("2026-01-01T00:00:00Z");
  return {
    id,
    ref: `T-${id}`,
    number: 1,
    projectId: "p",
    projectKey: "T",
    title: id,
    status,
    priority: "NONE",
    assignee: null,
    labels: [],
    dueDate: null,
    position: "a0",
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
}

function column(...pages: string[][]): ColumnData {
  return {
    pages: pages.map((ids) => ({ items: ids.map((id) => task(id)), nextCursor: null })),
    pageParams: pages.map(() => null),
  };
}

const ids = (data: ColumnData | undefined) => columnTasks(data).map((t) => t.id);

describe("board cache edits", () => {
  it("removes a task from whichever page holds it", () => {
    expect(ids(withoutTask(column(["a", "b"], ["c"]), "c"))).toEqual(["a", "b"]);
    expect(withoutTask(undefined, "x")).toBeUndefined();
  });

  it("inserts after a neighbour, first when there is none, last when the neighbour is not loaded", () => {
    expect(ids(withTaskAfter(column(["a", "b"], ["c"]), task("x"), "b"))).toEqual(["a", "b", "x", "c"]);
    expect(ids(withTaskAfter(column(["a", "b"]), task("x"), null))).toEqual(["x", "a", "b"]);
    expect(ids(withTaskAfter(column(["a"], ["b"]), task("x"), "zzz"))).toEqual(["a", "b", "x"]);
    expect(ids(withTaskAfter(column(["a", "x", "b"]), task("x"), "b"))).toEqual(["a", "b", "x"]);
  });
});

describe("dropTarget", () => {
  const target = [task("a"), task("b"), task("c"), task("d")];

  it("within a column behaves like arrayMove", () => {
    // a dragged down onto c ends up after c
    expect(dropTarget({ taskId: "a", from: "TODO", to: "TODO", overId: "c", target })).toEqual({
      status: "TODO",
      afterTaskId: "c",
    });
    // d dragged up onto b ends up before b, i.e. after a
    expect(dropTarget({ taskId: "d", from: "TODO", to: "TODO", overId: "b", target })).toEqual({
      status: "TODO",
      afterTaskId: "a",
    });
    // d dragged onto a lands at the top
    expect(dropTarget({ taskId: "d", from: "TODO", to: "TODO", overId: "a", target })).toEqual({
      status: "TODO",
      afterTaskId: null,
    });
  });

  it("across columns lands above the card it is dropped on", () => {
    expect(dropTarget({ taskId: "x", from: "BACKLOG", to: "TODO", overId: "c", target })).toEqual({
      status: "TODO",
      afterTaskId: "b",
    });
    expect(dropTarget({ taskId: "x", from: "BACKLOG", to: "TODO", overId: "a", target })).toEqual({
      status: "TODO",
      afterTaskId: null,
    });
  });

  it("dropped on the column itself goes to the end", () => {
    expect(dropTarget({ taskId: "x", from: "BACKLOG", to: "TODO", overId: null, target })).toEqual({
      status: "TODO",
      afterTaskId: "d",
    });
    expect(dropTarget({ taskId: "x", from: "BACKLOG", to: "DONE", overId: null, target: [] })).toEqual({
      status: "DONE",
      afterTaskId: null,
    });
    expect(dropTarget({ taskId: "d", from: "TODO", to: "TODO", overId: null, target })).toEqual({
      status: "TODO",
      afterTaskId: "c",
    });
  });
});
