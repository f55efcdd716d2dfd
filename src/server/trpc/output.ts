/**
 * What a procedure returns is checked against its Zod schema (`.output(fastOutput(schema))`).
 *
 * tRPC runs an output schema's `parseAsync`, and Zod 4's asynchronous parse never takes the
 * synchronous fast path: a 50-task page costs ~0.15 ms that way against ~0.03 ms with `parse`, about
 * 5 % of a task.list call's CPU under load (docs/performance.md). tRPC binds the function when
 * `.output()` is called, so the schema has to answer `parseAsync` synchronously by then. Lanes'
 * output schemas have no asynchronous refinements; should one gain some, Zod's `parse` refuses it
 * with `$ZodAsyncError` and the original asynchronous parse runs instead — the result is the same
 * either way, only cheaper.
 *
 * The schema object itself is changed (not cloned) because the OpenAPI document (trpc-to-openapi)
 * and Zod's metadata registry know schemas by identity; the change is invisible to every other user.
 */
import { z } from "zod";

const fast = new WeakSet<z.ZodType>();

export function fastOutput<S extends z.ZodType>(schema: S): S {
  if (fast.has(schema)) return schema;
  const parseAsync = schema.parseAsync.bind(schema);
  const parseSyncFirst = async (data: unknown, params?: z.core.ParseContext<z.core.$ZodIssue>) => {
    try {
      return schema.parse(data, params);
    } catch (error) {
      if (error instanceof z.core.$ZodAsyncError) return parseAsync(data, params);
      throw error;
    }
  };
  Object.defineProperty(schema, "parseAsync", { value: parseSyncFirst, configurable: true, writable: true });
  fast.add(schema);
  return schema;
}

/** Whether `.output()` was given a schema prepared by fastOutput (tests check every procedure's). */
export function isFastOutput(schema: unknown): boolean {
  return schema instanceof z.ZodType && fast.has(schema);
}
