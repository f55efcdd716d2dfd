import { describe, expect, it } from "vitest";
import fc from "fast-check";
import superjson from "superjson";
import { serializeOutput } from "@/server/trpc/superjson-output";

/** Values a procedure returns: plain data and Dates, every object fresh (no shared references). */
const plainOutput = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.string(),
    fc.boolean(),
    fc.constant(null),
    fc.constant(undefined),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }).filter((n) => !Object.is(n, -0)),
    fc.date({ noInvalidDate: true }),
    fc.array(tie("value"), { maxLength: 4 }),
    fc.dictionary(
      fc.oneof(fc.string(), fc.constantFrom("a.b", "a\\b", "x.\\y.", "", "prototype", "constructor")),
      tie("value"),
      { maxKeys: 4 },
    ),
  ),
})).value;

/** What a serializer did: its result, or the error it refused with (both refuse "__proto__" & co.). */
function outcome(serialize: () => unknown): unknown {
  try {
    return { result: serialize() };
  } catch (error) {
    return { refused: error instanceof Error ? error.message : String(error) };
  }
}

describe("serializeOutput", () => {
  it("writes exactly what superjson writes for plain data and Dates", () => {
    fc.assert(
      fc.property(fc.oneof(fc.array(plainOutput), fc.dictionary(fc.string(), plainOutput)), (value) => {
        expect(outcome(() => serializeOutput(value))).toStrictEqual(outcome(() => superjson.serialize(value)));
      }),
      { numRuns: 2_000 },
    );
  });

  it("writes a task page as superjson does, and the client reads it back", () => {
    const page = {
      items: [
        {
          id: "t1",
          title: "Ship it",
          assignee: null,
          labels: [{ id: "l1", name: "bug", color: "#f00" }],
          dueDate: null,
          createdAt: new Date("2026-01-02T03:04:05.678Z"),
          updatedAt: new Date("2026-01-03T03:04:05.678Z"),
          description: undefined,
        },
      ],
      nextCursor: null,
    };
    const wire = serializeOutput(page);
    expect(wire).toStrictEqual(superjson.serialize(page));
    expect(wire.meta?.values).toEqual({
      "items.0.createdAt": ["Date"],
      "items.0.updatedAt": ["Date"],
      "items.0.description": ["undefined"],
    });
    expect(superjson.deserialize(JSON.parse(JSON.stringify(wire)) as typeof wire)).toEqual(page);
  });

  it("hands anything else to superjson whole", () => {
    class Point {
      x = 1;
    }
    const cycle: Record<string, unknown> = { a: 1 };
    cycle.self = cycle;
    const others: unknown[] = [
      { m: new Map([[1, 2]]) },
      { s: new Set([1]) },
      { n: 10n },
      { x: Number.NaN, y: Number.POSITIVE_INFINITY, z: -0 },
      { d: new Date(Number.NaN) },
      { p: new Point() },
      { r: /x/ },
      cycle,
      new Date(0),
      undefined,
      "text",
      7,
    ];
    for (const value of others) expect(serializeOutput(value)).toStrictEqual(superjson.serialize(value));
  });

  it("writes shared objects as copies: equal values after decoding", () => {
    const shared = new Date(0);
    const label = { id: "l1" };
    const value = { a: shared, b: shared, l: [label, label] };
    expect(superjson.deserialize(serializeOutput(value))).toEqual(value);
  });

  it("does not change what it is given", () => {
    const value = { d: new Date(0), list: [{ u: undefined }] };
    serializeOutput(value);
    expect(value.d).toBeInstanceOf(Date);
    expect(value.list[0]).toHaveProperty("u", undefined);
  });
});
