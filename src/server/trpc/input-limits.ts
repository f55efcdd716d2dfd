/**
 * Checks every procedure's raw input before its schema runs, whatever the procedure:
 * text PostgreSQL cannot store (U+0000, unpaired surrogates), absurd sizes and nesting.
 * Doing it once here, rather than in each of the many string schemas, means a new
 * procedure or field cannot forget it.
 */

/** Deeper than any input Lanes accepts (the deepest is task.update → patch → labelIds → item). */
export const MAX_INPUT_DEPTH = 16;
/** Values (object members and array items) in one input. */
export const MAX_INPUT_NODES = 5_000;
/** Characters in one string; every schema's own limit is lower (task descriptions: 50,000). */
export const MAX_STRING_LENGTH = 100_000;

export type InputProblem = { path: string; message: string };

/** Why this string cannot be accepted, or null. */
export function textProblem(text: string): string | null {
  if (text.length > MAX_STRING_LENGTH) return `Use at most ${MAX_STRING_LENGTH.toLocaleString("en")} characters`;
  if (text.includes("\u0000")) return "Contains a NUL character (U+0000), which cannot be stored";
  if (!text.isWellFormed()) return "Contains invalid Unicode (an unpaired surrogate)";
  return null;
}

const pathOf = (segments: ReadonlyArray<string | number>) => segments.join(".");

/**
 * The first problem in `input`, or null. Iterative (no recursion, so no stack overflow on
 * hostile nesting) and cycle-safe (superjson can rebuild shared or circular references).
 */
export function findInputProblem(input: unknown): InputProblem | null {
  const stack: Array<{ value: unknown; path: Array<string | number> }> = [{ value: input, path: [] }];
  const seen = new Set<object>();
  let nodes = 0;
  while (stack.length > 0) {
    const { value, path } = stack.pop()!;
    if (++nodes > MAX_INPUT_NODES)
      return { path: "", message: `Too many values in one request (at most ${MAX_INPUT_NODES})` };
    if (typeof value === "string") {
      const problem = textProblem(value);
      if (problem) return { path: pathOf(path), message: problem };
      continue;
    }
    if (typeof value !== "object" || value === null || seen.has(value)) continue;
    seen.add(value);
    if (path.length >= MAX_INPUT_DEPTH) return { path: pathOf(path), message: "Nested too deeply" };
    if (Array.isArray(value)) {
      const items: unknown[] = value;
      if (items.length > MAX_INPUT_NODES)
        return { path: pathOf(path), message: `Too many items (at most ${MAX_INPUT_NODES})` };
      items.forEach((item, index) => stack.push({ value: item, path: [...path, index] }));
      continue;
    }
    if (value instanceof Map || value instanceof Set) {
      // Never valid input for a Lanes procedure; the schema will say so. Nothing to walk.
      continue;
    }
    for (const [key, item] of Object.entries(value)) {
      const keyProblem = textProblem(key);
      if (keyProblem) return { path: pathOf(path), message: `A field name is not valid: ${keyProblem}` };
      stack.push({ value: item, path: [...path, key] });
    }
  }
  return null;
}
