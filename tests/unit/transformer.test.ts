import { describe, expect, it } from "vitest";
import superjson from "superjson";
import { TRPCError } from "@trpc/server";
import { transformer } from "@/server/trpc/transformer";
import { formatErrorData } from "@/server/trpc/errors";

const decode = (payload: unknown) => transformer.input.deserialize(payload);

function refusal(payload: unknown) {
  try {
    decode(payload);
  } catch (error) {
    expect(error).toBeInstanceOf(TRPCError);
    const formatted = formatErrorData(error as TRPCError, 400, "r");
    expect(formatted.data.code).toBe("BAD_REQUEST");
    expect(JSON.stringify(formatted)).not.toMatch(/call stack|RangeError|superjson\.ts|at /);
    return formatted;
  }
  throw new Error("expected the payload to be refused");
}

describe("the input transformer", () => {
  it("decodes what a superjson client sends", () => {
    const input = { workspaceSlug: "acme", cursor: undefined, due: new Date(0), list: [undefined, 1] };
    expect(decode(superjson.serialize(input))).toEqual(input);
    expect(decode(superjson.serialize(undefined))).toBeUndefined();
    expect(decode({ json: { a: 1 } })).toEqual({ a: 1 });
  });

  it("keeps shared references a client serialized", () => {
    const shared = { q: 1 };
    const out = decode(superjson.serialize({ a: shared, b: shared })) as { a: object; b: object };
    expect(out.a).toBe(out.b);
  });

  it("refuses a deeply nested type tree (was: Maximum call stack size exceeded)", () => {
    let tree: unknown = ["Date"];
    for (let i = 0; i < 20_000; i++) tree = ["map", { a: tree }];
    expect(refusal({ json: { a: 1 }, meta: { values: { a: tree } } }).message).toBe("The request could not be decoded");
  });

  it.each([
    ["an unknown custom type", { json: { a: 1 }, meta: { values: { a: ["custom", "Nope"] } } }],
    ["a class annotation", { json: { a: {} }, meta: { values: { a: ["class", "Secret"] } } }],
    ["a prototype path", { json: { a: 1 }, meta: { values: { "__proto__.x": ["undefined"] } } }],
    ["a constructor path", { json: { a: 1 }, meta: { values: { "a.constructor.prototype": ["undefined"] } } }],
    ["meta that is not an object", { json: 1, meta: "x" }],
    ["unknown meta fields", { json: 1, meta: { evil: 1 } }],
    ["values of the wrong shape", { json: 1, meta: { values: 5 } }],
    [
      "too many annotations",
      {
        json: {},
        meta: { values: Object.fromEntries(Array.from({ length: 1001 }, (_, i) => [`k${i}`, ["undefined"]])) },
      },
    ],
    ["non-string reference targets", { json: { a: {} }, meta: { referentialEqualities: { a: [1] } } }],
    ["a plain value without the envelope", { workspaceSlug: "acme" }],
    ["extra fields beside json", { json: 1, extra: 2 }],
    ["null", null],
    ["an array", [1, 2]],
  ])("refuses %s with a plain 400", (_, payload) => {
    refusal(payload);
  });
});
