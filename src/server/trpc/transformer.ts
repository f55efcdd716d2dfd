/**
 * superjson on the wire, with inputs decoded defensively.
 *
 * superjson.deserialize trusts its `meta` part: a crafted type tree (["map", {…}] nested
 * thousands deep, or an unknown ["custom", …] annotation) makes it recurse until "Maximum
 * call stack size exceeded". Clients only ever need flat annotations for inputs (paths →
 * ["undefined"], ["Date"], …), so anything else is refused as a 400 before superjson sees it.
 * Outputs are ours: written in superjson's format by ./superjson-output.ts (one cheap walk for
 * plain data and Dates, superjson itself for anything else).
 */
import superjson from "superjson";
import type { SuperJSONResult } from "superjson";
import { TRPCError } from "@trpc/server";
import { AppError } from "@/server/errors";
import { serializeOutput } from "./superjson-output";

/** Leaf annotations superjson writes for plain values; composite ones (custom, class, nested map/set trees) are refused. */
const LEAF_TYPES = new Set(["undefined", "Date", "number", "bigint", "regexp", "set", "map", "Error", "URL"]);
const MAX_META_PATHS = 1_000;
const MAX_PATH_LENGTH = 512;
const FORBIDDEN_SEGMENT = /(^|\.)(__proto__|constructor|prototype)(\.|$)/;

function refuse(reason: string): never {
  const app = AppError.badRequest("The request could not be decoded", { "": [reason] });
  throw new TRPCError({ code: "BAD_REQUEST", message: app.message, cause: app });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function assertLeaf(annotation: unknown): void {
  if (
    !Array.isArray(annotation) ||
    annotation.length !== 1 ||
    typeof annotation[0] !== "string" ||
    !LEAF_TYPES.has(annotation[0])
  ) {
    refuse("Unsupported superjson type annotation");
  }
}

function assertPaths(paths: string[]): void {
  if (paths.length > MAX_META_PATHS) refuse("Too many superjson annotations");
  for (const path of paths) {
    if (path.length > MAX_PATH_LENGTH || FORBIDDEN_SEGMENT.test(path)) refuse("Invalid superjson annotation path");
  }
}

/** Throws a 400 unless `meta` is a shape a superjson client produces for plain inputs. */
export function assertSafeMeta(meta: unknown): void {
  if (meta === undefined) return;
  if (!isRecord(meta)) refuse("superjson meta must be an object");
  const { values, referentialEqualities, v, ...rest } = meta;
  if (Object.keys(rest).length > 0) refuse("Unknown superjson meta fields");
  if (v !== undefined && typeof v !== "number") refuse("Invalid superjson version");
  if (values !== undefined) {
    if (Array.isArray(values)) assertLeaf(values);
    else if (isRecord(values)) {
      assertPaths(Object.keys(values));
      for (const annotation of Object.values(values)) assertLeaf(annotation);
    } else refuse("Invalid superjson values");
  }
  if (referentialEqualities !== undefined) {
    if (!isRecord(referentialEqualities) && !Array.isArray(referentialEqualities))
      refuse("Invalid superjson references");
    const flat = JSON.stringify(referentialEqualities);
    if (flat.length > 16_384) refuse("Too many superjson references");
    const targets: unknown[] = Object.values(referentialEqualities).flat(2);
    const paths = targets.filter((t): t is string => typeof t === "string");
    if (paths.length !== targets.length) refuse("Invalid superjson references");
    assertPaths([...(isRecord(referentialEqualities) ? Object.keys(referentialEqualities) : []), ...paths]);
  }
}

function deserializeInput(payload: unknown): unknown {
  if (!isRecord(payload) || !("json" in payload)) refuse('Inputs are superjson envelopes: {"json": …}');
  const { json, meta, ...rest } = payload;
  if (Object.keys(rest).length > 0) refuse("Unknown fields next to json and meta");
  assertSafeMeta(meta);
  try {
    return superjson.deserialize({ json, meta } as SuperJSONResult);
  } catch {
    refuse("Invalid superjson envelope");
  }
}

export const transformer = {
  input: { serialize: (value: unknown) => superjson.serialize(value), deserialize: deserializeInput },
  output: {
    serialize: serializeOutput,
    deserialize: (value: unknown) => superjson.deserialize(value as SuperJSONResult),
  },
};
