/**
 * superjson's wire format for what procedures return — plain objects, arrays, strings, finite
 * numbers, booleans, null, undefined and Dates — written in one walk.
 *
 * Written by hand because superjson's generic serializer was the largest single cost of a
 * 50-task page under load (docs/decisions/0038-output-serialization.md): per value it runs its
 * class, custom and symbol registries, tracks every object for referential equality and checks
 * every key for prototype pollution. The output here is what superjson.serialize writes for
 * these values (the test compares the two on random trees), so the client's superjson reads it
 * unchanged. Anything else — a Map, a BigInt, NaN, an invalid Date, a class instance, a cycle —
 * is handed to superjson itself, whole.
 */
import superjson from "superjson";
import type { SuperJSONResult } from "superjson";

type Annotation = ["Date"] | ["undefined"];
type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** Deeper than any output Lanes builds; a deeper value (or a cycle) goes to superjson. */
const MAX_DEPTH = 64;

class NotPlain extends Error {}
const NOT_PLAIN = new NotPlain();

function isPlainObject(value: object): value is Record<string, unknown> {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** A path segment as superjson writes it: backslashes and dots escaped. */
function escapeKey(key: string): string {
  return key.includes("\\") || key.includes(".") ? key.replace(/\\/g, "\\\\").replace(/\./g, "\\.") : key;
}

/**
 * The walk. `path` holds the raw segments to the current value and is joined only when a value is
 * annotated, so plain values cost no string building.
 */
class Encoder {
  readonly annotations = new Map<string, Annotation>();
  private readonly path: Array<string | number> = [];

  private annotate(annotation: Annotation): void {
    this.annotations.set(
      this.path.map((s) => (typeof s === "number" ? String(s) : escapeKey(s))).join("."),
      annotation,
    );
  }

  encode(value: unknown): Json {
    switch (typeof value) {
      case "string":
      case "boolean":
        return value;
      case "number":
        // NaN, ±Infinity and -0 carry a ["number"] annotation in superjson.
        if (!Number.isFinite(value) || Object.is(value, -0)) throw NOT_PLAIN;
        return value;
      case "undefined":
        this.annotate(["undefined"]);
        return null;
      case "object":
        if (value === null) return null;
        if (this.path.length > MAX_DEPTH) throw NOT_PLAIN;
        if (value instanceof Date) {
          if (Number.isNaN(value.getTime())) throw NOT_PLAIN;
          this.annotate(["Date"]);
          return value.toISOString();
        }
        return Array.isArray(value) ? this.encodeArray(value) : this.encodeObject(value);
      default:
        // bigint, symbol, function
        throw NOT_PLAIN;
    }
  }

  private encodeArray(value: unknown[]): Json[] {
    const out = new Array<Json>(value.length);
    for (let i = 0; i < value.length; i++) {
      this.path.push(i);
      out[i] = this.encode(value[i]);
      this.path.pop();
    }
    return out;
  }

  private encodeObject(value: object): { [key: string]: Json } {
    if (!isPlainObject(value)) throw NOT_PLAIN;
    const out: { [key: string]: Json } = {};
    for (const key in value) {
      if (!Object.hasOwn(value, key)) continue;
      // Keys superjson refuses (prototype pollution); let it say so.
      if (key === "__proto__" || key === "constructor" || key === "prototype") throw NOT_PLAIN;
      this.path.push(key);
      out[key] = this.encode(value[key]);
      this.path.pop();
    }
    return out;
  }
}

/** superjson.serialize(value), the same bytes for plain data and Dates, without its generic walk. */
export function serializeOutput(value: unknown): SuperJSONResult {
  // A bare Date or undefined is annotated at the root, which superjson writes as an array, not a map.
  if (typeof value !== "object" || value === null || value instanceof Date) return superjson.serialize(value);
  const encoder = new Encoder();
  let json: Json;
  try {
    json = encoder.encode(value);
  } catch (error) {
    if (error instanceof NotPlain) return superjson.serialize(value);
    throw error;
  }
  if (encoder.annotations.size === 0) return { json };
  return { json, meta: { values: Object.fromEntries(encoder.annotations), v: 1 } };
}
