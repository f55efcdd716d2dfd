/**
 * What in a new OpenAPI document would break a client written against the old one:
 *   - an operation (path + method) removed
 *   - a response field removed, at any depth of the 200 answer
 *   - an input (parameter or body field) that is required now and was not, or is new and required
 * Additions that old clients can ignore (new operations, new response fields, new optional inputs)
 * are not breaking. Used by the snapshot test to say what a spec change costs (docs/api.md).
 */
type Json = Record<string, unknown>;

const METHODS = ["get", "post", "put", "patch", "delete"] as const;

function asObject(value: unknown): Json {
  return value && typeof value === "object" && !Array.isArray(value) ? (value as Json) : {};
}

function resolve(doc: Json, schema: unknown): Json {
  const object = asObject(schema);
  const ref = object.$ref;
  if (typeof ref !== "string" || !ref.startsWith("#/")) return object;
  let target: unknown = doc;
  for (const part of ref.slice(2).split("/")) target = asObject(target)[part];
  return asObject(target);
}

/** Every property path a schema describes, e.g. "items[].assignee.name" (anyOf/oneOf branches merged). */
function fieldPaths(doc: Json, schema: unknown, prefix: string, out: Set<string>, depth = 0): Set<string> {
  if (depth > 12) return out;
  const object = resolve(doc, schema);
  for (const key of ["anyOf", "oneOf", "allOf"] as const) {
    const branches = object[key];
    if (Array.isArray(branches)) for (const branch of branches) fieldPaths(doc, branch, prefix, out, depth + 1);
  }
  if (object.items) fieldPaths(doc, object.items, `${prefix}[]`, out, depth + 1);
  for (const [name, child] of Object.entries(asObject(object.properties))) {
    const path = prefix ? `${prefix}.${name}` : name;
    out.add(path);
    fieldPaths(doc, child, path, out, depth + 1);
  }
  return out;
}

type Operation = { responses?: unknown; parameters?: unknown; requestBody?: unknown };

function operations(doc: Json): Map<string, Operation> {
  const found = new Map<string, Operation>();
  for (const [path, item] of Object.entries(asObject(doc.paths))) {
    for (const method of METHODS) {
      const operation = asObject(item)[method];
      if (operation) found.set(`${method.toUpperCase()} ${path}`, operation);
    }
  }
  return found;
}

function responseFields(doc: Json, operation: Operation): Set<string> {
  const ok = asObject(asObject(operation.responses)["200"]);
  const schema = asObject(asObject(ok.content)["application/json"]).schema;
  return fieldPaths(doc, schema, "", new Set());
}

/** Inputs by name ("query:limit", "body:title") with whether each is required. */
function inputs(doc: Json, operation: Operation): Map<string, boolean> {
  const found = new Map<string, boolean>();
  if (Array.isArray(operation.parameters)) {
    for (const parameter of operation.parameters) {
      const p = resolve(doc, parameter);
      found.set(`${String(p.in)}:${String(p.name)}`, p.required === true);
    }
  }
  const body = asObject(operation.requestBody);
  const schema = resolve(doc, asObject(asObject(body.content)["application/json"]).schema);
  const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
  for (const name of Object.keys(asObject(schema.properties)))
    found.set(`body:${name}`, body.required === true && required.has(name));
  return found;
}

export function breakingChanges(before: unknown, after: unknown): string[] {
  const oldDoc = asObject(before);
  const newDoc = asObject(after);
  const changes: string[] = [];
  const newOperations = operations(newDoc);
  for (const [name, oldOperation] of operations(oldDoc)) {
    const newOperation = newOperations.get(name);
    if (!newOperation) {
      changes.push(`${name}: operation removed`);
      continue;
    }
    const newFields = responseFields(newDoc, newOperation);
    for (const field of responseFields(oldDoc, oldOperation))
      if (!newFields.has(field)) changes.push(`${name}: response field "${field}" removed or renamed`);
    const oldInputs = inputs(oldDoc, oldOperation);
    for (const [input, required] of inputs(newDoc, newOperation)) {
      if (!required) continue;
      const was = oldInputs.get(input);
      if (was === undefined) changes.push(`${name}: new required input "${input}"`);
      else if (!was) changes.push(`${name}: input "${input}" became required`);
    }
  }
  return changes;
}
