/**
 * The pure parts of text search in the task list: relevance cursors, and the
 * choice between walking an index and reading the GIN index (db/task-search.ts).
 */
import { describe, expect, it } from "vitest";
import { AppError } from "@/server/errors";
import {
  assertSortable,
  decodeCursor,
  encodeCursor,
  parseRelevanceValue,
  relevanceCursorValue,
} from "@/server/db/task-query";
import { GIN_ROW_COST, MAX_WALK, nextWindow, WINDOW } from "@/server/db/task-search";
import { listTasksInput } from "@/shared/schemas/task";

const rawCursor = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

function invalid(raw: string, sort: Parameters<typeof decodeCursor>[1], direction: "asc" | "desc"): unknown {
  try {
    decodeCursor(raw, sort, direction);
  } catch (error) {
    return error;
  }
  return null;
}

describe("relevance cursors", () => {
  it("store the group and updatedAt, and round-trip", () => {
    const updatedAt = new Date("2026-03-01T10:20:30.456Z");
    expect(relevanceCursorValue(0, updatedAt)).toBe("0|2026-03-01T10:20:30.456Z");
    expect(parseRelevanceValue("1|2026-03-01T10:20:30.456Z")).toEqual({ group: 1, updatedAt });
    const cursor = { s: "relevance" as const, d: "desc" as const, v: relevanceCursorValue(1, updatedAt), id: "t1" };
    expect(decodeCursor(encodeCursor(cursor), "relevance", "desc")).toEqual(cursor);
  });

  it.each([
    ["no group", "2026-03-01T10:20:30.456Z"],
    ["an unknown group", "2|2026-03-01T10:20:30.456Z"],
    ["a date that is not one", "0|yesterday"],
    ["a year PostgreSQL cannot compare", "0|0001-01-01T00:00:00.000Z"],
    ["an empty value", ""],
    ["an over-long value", `0|${"9".repeat(100)}`],
  ])("rejects a relevance value with %s", (_name, v) => {
    expect(parseRelevanceValue(v)).toBeNull();
    expect(invalid(rawCursor({ s: "relevance", d: "desc", v, id: "t1" }), "relevance", "desc")).toMatchObject({
      code: "BAD_REQUEST",
      message: "Invalid cursor",
    });
  });

  it("rejects a null value for every sort but due (only a due date can be empty)", () => {
    for (const sort of ["created", "updated", "priority", "position", "relevance"] as const) {
      expect(invalid(rawCursor({ s: sort, d: "desc", v: null, id: "t1" }), sort, "desc"), sort).toBeInstanceOf(
        AppError,
      );
    }
    expect(invalid(rawCursor({ s: "due", d: "asc", v: null, id: "t1" }), "due", "asc")).toBeNull();
  });

  it("needs a search: relevance without filter.q is a 400 naming the sort", () => {
    expect(() => assertSortable("relevance", {})).toThrow(AppError);
    expect(() => assertSortable("relevance", { q: "" })).toThrow(AppError);
    expect(() => assertSortable("relevance", { q: "deploy" })).not.toThrow();
    try {
      assertSortable("relevance", {});
    } catch (error) {
      expect(error).toMatchObject({
        code: "BAD_REQUEST",
        details: { fieldErrors: { sort: ["Sorting by relevance needs filter.q"] } },
      });
    }
  });
});

describe("filter.q in the input", () => {
  it("is trimmed, bounded at 200 characters, and accepts anything a person types", () => {
    expect(listTasksInput.parse({ workspaceSlug: "acme", filter: { q: "  deploy  " } }).filter.q).toBe("deploy");
    expect(listTasksInput.parse({ workspaceSlug: "acme", filter: { q: "<script>alert(1)</script>" } }).filter.q).toBe(
      "<script>alert(1)</script>",
    );
    expect(listTasksInput.safeParse({ workspaceSlug: "acme", filter: { q: "x".repeat(201) } }).success).toBe(false);
    expect(listTasksInput.safeParse({ workspaceSlug: "acme", filter: { q: 42 } }).success).toBe(false);
    expect(listTasksInput.parse({ workspaceSlug: "acme", sort: "relevance", filter: { q: "a" } }).sort).toBe(
      "relevance",
    );
  });
});

describe("nextWindow: walk on, or read the GIN index", () => {
  const total = 1_000_000;

  it("reads the index when the window found nothing (a word nobody wrote)", () => {
    expect(nextWindow({ walked: WINDOW, hits: 0, texts: 0, total, needed: 51 })).toBeNull();
  });

  it("reads the index for a word rare everywhere: few matches, cheaper than walking to them", () => {
    // 0.1% of tasks: 2-3 per window; filling the page would take ~50k more rows.
    expect(nextWindow({ walked: WINDOW, hits: 3, texts: 3, total, needed: 48 })).toBeNull();
  });

  it("walks on for a common word under a narrow filter: the index would read every match of the word", () => {
    // 2% of tasks have the words, 0.2% also the label: ~30k rows to fill the page, vs ~20k GIN reads.
    const size = nextWindow({ walked: WINDOW, hits: 5, texts: 50, total, needed: 46 });
    expect(size).not.toBeNull();
    expect(size!).toBeGreaterThanOrEqual(Math.ceil((46 * WINDOW) / 5));
    expect(WINDOW + size!).toBeLessThanOrEqual(MAX_WALK);
    expect(size! <= GIN_ROW_COST * (50 / WINDOW) * total).toBe(true);
  });

  it("never walks past MAX_WALK rows in all", () => {
    expect(nextWindow({ walked: MAX_WALK - 1000, hits: 40, texts: 10_000, total, needed: 11 })).toBeNull();
  });

  it("never asks for a window smaller than the first (no trickle of tiny windows)", () => {
    expect(nextWindow({ walked: WINDOW, hits: 50, texts: 500, total, needed: 1 })).toBe(WINDOW);
  });
});
