import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  findInputProblem,
  MAX_INPUT_DEPTH,
  MAX_INPUT_NODES,
  MAX_STRING_LENGTH,
  textProblem,
} from "@/server/trpc/input-limits";

const LONE_HIGH = "\uD800";
const LONE_LOW = "\uDC00";

describe("textProblem", () => {
  it.each([
    ["plain text", "Fix the login page"],
    ["emoji (a surrogate pair)", "ship it 🚀"],
    ["combining marks", "हिन्दी"],
    ["tabs and newlines", "a\tb\nc\r\n"],
    ["other control characters PostgreSQL stores", "bell\u0007"],
    ["noncharacters (well-formed UTF-16)", "\uFFFE\uFFFF"],
  ])("accepts %s", (_, text) => {
    expect(textProblem(text)).toBeNull();
  });

  it.each([
    ["NUL", "a\u0000b", /U\+0000/],
    ["a lone high surrogate", `x${LONE_HIGH}y`, /unpaired surrogate/],
    ["a lone low surrogate", `${LONE_LOW}`, /unpaired surrogate/],
    ["reversed surrogates", `${LONE_LOW}${LONE_HIGH}`, /unpaired surrogate/],
    ["a string over the limit", "x".repeat(MAX_STRING_LENGTH + 1), /at most/],
  ])("refuses %s", (_, text, message) => {
    expect(textProblem(text)).toMatch(message);
  });

  it("refuses every string with a NUL anywhere (property)", () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => textProblem(`${a}\u0000${b}`) !== null),
      { seed: 42, numRuns: 500 },
    );
  });

  it("accepts every well-formed string without NUL (property)", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: "grapheme", maxLength: 200 }),
        (s) => textProblem(s.replaceAll("\u0000", "")) === null,
      ),
      { seed: 42, numRuns: 500 },
    );
  });
});

describe("findInputProblem", () => {
  it("names the field, with its dotted path", () => {
    expect(findInputProblem({ workspaceSlug: "acme", patch: { title: "a\u0000" } })).toEqual({
      path: "patch.title",
      message: expect.stringMatching(/U\+0000/),
    });
    expect(findInputProblem({ filter: { status: ["TODO", `x${LONE_HIGH}`] } })).toEqual({
      path: "filter.status.1",
      message: expect.stringMatching(/surrogate/),
    });
  });

  it("checks object keys too", () => {
    expect(findInputProblem({ ["bad\u0000key"]: 1 })?.message).toMatch(/field name/);
  });

  it("accepts ordinary inputs, undefined and primitives", () => {
    expect(
      findInputProblem({ workspaceSlug: "acme", limit: 50, cursor: null, filter: { status: ["TODO"] } }),
    ).toBeNull();
    expect(findInputProblem(undefined)).toBeNull();
    expect(findInputProblem(42)).toBeNull();
  });

  it("stops at the depth limit without recursing (100,000 levels)", () => {
    let deep: unknown = "leaf";
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(findInputProblem(deep)).toEqual({
      path: Array(MAX_INPUT_DEPTH).fill(0).join("."),
      message: "Nested too deeply",
    });
  });

  it("bounds the number of values", () => {
    expect(findInputProblem({ labelIds: Array.from({ length: MAX_INPUT_NODES + 1 }, () => "x") })?.message).toMatch(
      /Too many/,
    );
    const wide = Object.fromEntries(Array.from({ length: MAX_INPUT_NODES + 1 }, (_, i) => [`k${i}`, i]));
    expect(findInputProblem(wide)?.message).toMatch(/Too many values/);
  });

  it("survives circular references (superjson can rebuild them)", () => {
    const a: Record<string, unknown> = { name: "a" };
    a.self = a;
    expect(findInputProblem(a)).toBeNull();
    a.bad = "\u0000";
    expect(findInputProblem(a)?.path).toBe("bad");
  });

  it("finds a NUL planted anywhere in a random JSON value (property)", () => {
    fc.assert(
      fc.property(
        fc.jsonValue({ maxDepth: 6 }),
        fc.string(),
        (value, text) => findInputProblem({ value, planted: `${text}\u0000` })?.path === "planted",
      ),
      { seed: 7, numRuns: 300 },
    );
  });
});
