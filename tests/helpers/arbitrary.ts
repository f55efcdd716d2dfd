/**
 * fast-check arbitraries derived from a procedure's Zod input schema, for the
 * property-based "no 5xx" tests. Mostly valid inputs (so calls reach the services
 * and the database), salted with hostile values at every level: text PostgreSQL
 * cannot store, megabyte strings, wrong types, out-of-range numbers, unknown keys,
 * and ids of real rows — the caller's and another tenant's.
 *
 * Written by hand because the maintained schema-to-arbitrary packages target Zod 3;
 * it reads Zod 4's public `_zod.def` structure.
 */
import fc from "fast-check";
import type { z } from "zod";

type CheckDef = {
  check: string;
  minimum?: number;
  maximum?: number;
  value?: number;
  inclusive?: boolean;
  format?: string;
  pattern?: RegExp;
};
type Def = {
  type: string;
  checks?: Array<{ _zod: { def: CheckDef } }>;
  innerType?: z.ZodType;
  element?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  in?: z.ZodType;
  options?: z.ZodType[];
  entries?: Record<string, string | number>;
  values?: unknown[];
  format?: string;
  pattern?: RegExp;
  catchall?: z.ZodType;
};

// Zod's def objects are typed per schema class; the walker only needs this structural view.
const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** Ids (and slugs) of real rows by the field names that carry them, so inputs hit real data. */
export type IdPools = Record<string, string[]>;

/** Strings that have broken web backends somewhere. */
const HOSTILE_STRINGS = [
  "",
  " ",
  "\u0000",
  "a\u0000b",
  "\uD800",
  "x\uDC00y",
  "\uDBFF\uDBFF",
  "\uFFFE\uFFFF",
  "\u202Eevil",
  "%00",
  '\'; DROP TABLE "Task"; --',
  "<script>alert(1)</script>",
  "../../../etc/passwd",
  "${jndi:ldap://x}",
  "__proto__",
  "constructor",
  "😀".repeat(60),
  "İſK",
  "a".repeat(65),
  "x".repeat(100_001),
  "WEB-1",
  "WEB-999999999",
  "WEB-2147483648",
  "0000-00-00",
  "2026-02-30",
  "9999-12-31",
  "0001-01-01",
  "null",
  "undefined",
];

/** Any string, including unpaired surrogates and NULs. */
const wildString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 20 }),
  fc.constantFrom(...HOSTILE_STRINGS),
);

const wildNumber = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.constantFrom(
    0,
    -1,
    1,
    2 ** 31 - 1,
    2 ** 31,
    -(2 ** 31) - 1,
    2 ** 53,
    Number.MAX_SAFE_INTEGER + 2,
    -0,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    1e308,
  ),
);

/** Something of the wrong shape entirely. */
const wrongType: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, undefined, true, 0, "", [], {}),
  wildNumber,
  wildString,
  fc.jsonValue({ maxDepth: 3 }),
  fc.constant(new Date(Number.NaN)),
  fc.constant(new Map([["a", 1]])),
);

function checks(def: Def): CheckDef[] {
  return (def.checks ?? []).map((c) => c._zod.def);
}

function stringArbitrary(def: Def, field: string, pools: IdPools): fc.Arbitrary<string> {
  let min = 0;
  let max = 64;
  let pattern: RegExp | undefined = def.pattern;
  for (const c of checks(def)) {
    if (c.check === "min_length" && c.minimum !== undefined) min = c.minimum;
    if (c.check === "max_length" && c.maximum !== undefined) max = c.maximum;
    if (c.check === "string_format" && c.pattern) pattern = c.pattern;
  }
  const options: Array<fc.WeightedArbitrary<string>> = [{ arbitrary: wildString, weight: 1 }];
  const pool = pools[field];
  if (pool?.length) options.push({ arbitrary: fc.constantFrom(...pool), weight: 12 });
  if (def.format === "email") options.push({ arbitrary: fc.emailAddress(), weight: 4 });
  else if (def.format === "date") {
    const day = fc
      .date({ min: new Date("1800-01-01"), max: new Date("9999-12-31"), noInvalidDate: true })
      .map((d) => d.toISOString().slice(0, 10));
    options.push({ arbitrary: day, weight: 4 });
  } else if (pattern) {
    // Not filtered to the length bounds (a filter that rarely passes never ends); the pools give valid values.
    options.push({ arbitrary: fc.stringMatching(pattern).map((s) => s.slice(0, max)), weight: 4 });
  } else {
    options.push({
      arbitrary: fc.string({ unit: "grapheme", minLength: min, maxLength: Math.min(max, 80) }),
      weight: 4,
    });
  }
  return fc.oneof(...options);
}

function numberArbitrary(def: Def): fc.Arbitrary<number> {
  let min = -1000;
  let max = 1000;
  let integer = false;
  for (const c of checks(def)) {
    if (c.check === "greater_than" && c.value !== undefined) min = c.value + (c.inclusive ? 0 : 1);
    if (c.check === "less_than" && c.value !== undefined) max = c.value - (c.inclusive ? 0 : 1);
    if (c.check === "number_format") integer = true;
  }
  const inRange = integer
    ? fc.integer({ min: Math.ceil(min), max: Math.floor(Math.max(min, max)) })
    : fc.double({ min, max, noNaN: true });
  return fc.oneof({ arbitrary: inRange, weight: 6 }, { arbitrary: wildNumber, weight: 1 });
}

/** Every string or number leaf of a generated value, as a path from the root. */
function leafPaths(
  value: unknown,
  path: Array<string | number> = [],
  out: Array<Array<string | number>> = [],
): Array<Array<string | number>> {
  if (typeof value === "string" || typeof value === "number") out.push(path);
  else if (Array.isArray(value)) value.forEach((item: unknown, i) => leafPaths(item, [...path, i], out));
  else if (value && typeof value === "object" && !(value instanceof Date) && !(value instanceof Map)) {
    for (const [key, item] of Object.entries(value)) leafPaths(item, [...path, key], out);
  }
  return out;
}

function replaceAt(value: unknown, path: Array<string | number>, replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const [head, ...rest] = path;
  if (Array.isArray(value))
    return value.map((item: unknown, i) => (i === head ? replaceAt(item, rest, replacement) : item));
  const record = value as Record<string, unknown>;
  return { ...record, [head!]: replaceAt(record[head!], rest, replacement) };
}

/**
 * Values of `schema` where, half the time, exactly one string or number leaf is swapped
 * for a hostile one: the rest of the input stays valid, so the hostile value travels
 * past validation as far as it can (into services and SQL) instead of being caught by a
 * sibling field's error first.
 */
export function inputsFor(schema: z.ZodType, pools: IdPools): fc.Arbitrary<unknown> {
  return (
    fc
      // noBias: fast-check favours small numbers and first constants, which would always
      // pick the first leaf (workspaceSlug) and the first hostile string ("").
      .tuple(
        arbitraryFor(schema, pools),
        fc.boolean(),
        fc.noBias(fc.nat()),
        fc.oneof(fc.noBias(fc.constantFrom(...HOSTILE_STRINGS)), wildString, wildNumber),
      )
      .map(([value, mutate, pick, hostile]) => {
        if (!mutate) return value;
        const paths = leafPaths(value);
        const path = paths[pick % Math.max(1, paths.length)];
        return path ? replaceAt(value, path, hostile) : value;
      })
  );
}

/**
 * An arbitrary for values of `schema`. `field` is the object key the value sits under
 * (it picks the id pool); about one value in thirty is of the wrong type on purpose.
 */
export function arbitraryFor(schema: z.ZodType, pools: IdPools, field = ""): fc.Arbitrary<unknown> {
  const shaped = shapedArbitrary(schema, pools, field);
  return fc.oneof({ arbitrary: shaped, weight: 29 }, { arbitrary: wrongType, weight: 1 });
}

function shapedArbitrary(schema: z.ZodType, pools: IdPools, field: string): fc.Arbitrary<unknown> {
  const def = defOf(schema);
  switch (def.type) {
    case "string":
      return stringArbitrary(def, field, pools);
    case "number":
      return numberArbitrary(def);
    case "boolean":
      return fc.boolean();
    case "enum":
      return fc.constantFrom(...Object.values(def.entries ?? {}));
    case "literal":
      return fc.constantFrom(...(def.values ?? [null]));
    case "void":
    case "undefined":
      return fc.constant(undefined);
    case "null":
      return fc.constant(null);
    case "optional":
    case "default":
    case "prefault":
      return fc.option(arbitraryFor(def.innerType!, pools, field), { nil: undefined, freq: 3 });
    case "nullable":
      return fc.option(arbitraryFor(def.innerType!, pools, field), { nil: null, freq: 3 });
    case "readonly":
    case "nonoptional":
    case "catch":
      return arbitraryFor(def.innerType!, pools, field);
    case "pipe":
      return arbitraryFor(def.in!, pools, field);
    case "array": {
      let max = 5;
      for (const c of checks(def)) if (c.check === "max_length" && c.maximum !== undefined) max = c.maximum + 1;
      // An array of ids uses the singular field's pool: labelIds → labelId.
      const itemField = field.endsWith("Ids") ? field.slice(0, -1) : field;
      return fc.array(arbitraryFor(def.element!, pools, itemField), { maxLength: Math.min(max, 25) });
    }
    case "object": {
      const shape = def.shape ?? {};
      const members = Object.fromEntries(
        Object.entries(shape).map(([key, value]) => [key, arbitraryFor(value, pools, key)]),
      );
      const record = fc.record(members);
      // Now and then an unknown key (inputs are strict objects) or a hostile key.
      const extraKey = fc.tuple(fc.constantFrom("extra", "__proto__", "constructor", "a\u0000b", "\uD800"), wrongType);
      const extra = fc.oneof({ arbitrary: fc.constant(null), weight: 19 }, { arbitrary: extraKey, weight: 1 });
      return fc.tuple(record, extra).map(([value, more]) => (more ? { ...value, [more[0]]: more[1] } : value));
    }
    case "union":
      return fc.oneof(...(def.options ?? []).map((option) => arbitraryFor(option, pools, field)));
    default:
      return wrongType;
  }
}
