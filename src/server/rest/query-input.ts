/**
 * A query string as a procedure's input. Query values are text; the procedure's Zod schema says
 * which fields are numbers, booleans or lists, and only those are converted, exactly (`limit=20`
 * → 20, `includeArchived=true` → true, `status=TODO&status=DONE` → a list). Anything else stays
 * text, so a wrong value reaches the schema as it was sent and is refused there with the field
 * named — never guessed (`"no"` is not a boolean, `"1e3"` not a page size).
 *
 * Written here rather than taken from trpc-to-openapi's handler: that one switches on coercion by
 * changing the procedures' shared schemas in place, which would change what tRPC callers may send
 * too (docs/decisions/0027-rest-api.md).
 */
import type { z } from "zod";

type Kind = "number" | "boolean" | "array" | "other";

type Def = { type?: string; innerType?: z.ZodType; in?: z.ZodType };

function defOf(schema: z.ZodType): Def {
  return (schema as unknown as { _zod: { def: Def } })._zod.def;
}

/** What a field holds once optional/nullable/default wrappers are looked through. */
function kindOf(schema: z.ZodType): Kind {
  let current: z.ZodType | undefined = schema;
  for (let depth = 0; current && depth < 8; depth += 1) {
    const def = defOf(current);
    switch (def.type) {
      case "number":
        return "number";
      case "boolean":
        return "boolean";
      case "array":
        return "array";
      case "optional":
      case "nullable":
      case "default":
      case "prefault":
      case "readonly":
        current = def.innerType;
        break;
      case "pipe":
        current = def.in;
        break;
      default:
        return "other";
    }
  }
  return "other";
}

function shapeOf(schema: z.ZodType | undefined): Record<string, z.ZodType> {
  if (!schema) return {};
  const shape = (schema as unknown as { shape?: unknown }).shape;
  return shape && typeof shape === "object" ? (shape as Record<string, z.ZodType>) : {};
}

const NUMBER = /^-?\d+(\.\d+)?$/;

function convert(kind: Kind, value: string): unknown {
  if (kind === "number" && NUMBER.test(value)) return Number(value);
  if (kind === "boolean" && (value === "true" || value === "false")) return value === "true";
  return value;
}

export function inputFromQuery(schema: z.ZodType | undefined, params: URLSearchParams): Record<string, unknown> {
  const shape = shapeOf(schema);
  const input: Record<string, unknown> = {};
  for (const name of new Set(params.keys())) {
    const values = params.getAll(name);
    const field = shape[name];
    const kind = field ? kindOf(field) : "other";
    if (kind === "array") input[name] = values;
    // A repeated single value is passed on as a list, so the schema refuses it by name.
    else input[name] = values.length === 1 ? convert(kind, values[0]!) : values;
  }
  return input;
}
