/**
 * The OpenAPI document is committed (docs/openapi.json) so that a change to the public API shows
 * in review. This fails while the generated document differs from the snapshot, and names what in
 * the difference would break existing clients. Accept a change with `npm run openapi:update`.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { breakingChanges } from "@/server/rest/spec-diff";
import { snapshotDocument } from "@/server/rest/snapshot";
import { restRoutes } from "@/server/rest/routes";

type Json = Record<string, unknown>;
const file = path.resolve(import.meta.dirname, "..", "..", "docs", "openapi.json");
const committed = JSON.parse(readFileSync(file, "utf8")) as Json;
const generated = snapshotDocument() as Json;

describe("OpenAPI snapshot (docs/openapi.json)", () => {
  it("matches the document generated from the routers", () => {
    const breaking = breakingChanges(committed, generated);
    expect(
      breaking,
      "these changes break existing API clients; if intended, run `npm run openapi:update` and say so in docs/api.md",
    ).toEqual([]);
    expect(generated, "the API changed: run `npm run openapi:update` and commit docs/openapi.json").toEqual(committed);
  });

  it("documents every REST route with API-key auth and the one error schema", () => {
    const paths = generated.paths as Record<string, Record<string, Json>>;
    for (const route of restRoutes()) {
      const operation = paths[`/${route.segments.join("/")}`]?.[route.method.toLowerCase()];
      expect(operation, `${route.method} ${route.segments.join("/")}`).toBeDefined();
      expect(operation!.security).toEqual([{ bearerAuth: [] }]);
      const responses = operation!.responses as Record<string, Json>;
      expect(Object.keys(responses)).toEqual(["200", "400", "401", "403", "404", "409", "429", "503"]);
      expect(JSON.stringify(responses["404"])).toContain("#/components/schemas/Error");
    }
    expect(Object.keys((generated.components as Json).schemas as Json)).toContain("Error");
  });

  it("pages lists with a cursor parameter", () => {
    const paths = generated.paths as Record<string, Record<string, { parameters?: Array<{ name: string }> }>>;
    const feed = paths["/workspaces/{workspaceSlug}/activity"]!.get!;
    expect(feed.parameters!.map((p) => p.name)).toEqual(expect.arrayContaining(["cursor", "limit"]));
  });
});

describe("breakingChanges", () => {
  const op = (fields: Record<string, unknown>, required: string[] = [], params: unknown[] = []) => ({
    parameters: params,
    requestBody: {
      required: true,
      content: { "application/json": { schema: { type: "object", properties: { title: {}, x: {} }, required } } },
    },
    responses: {
      "200": { content: { "application/json": { schema: { type: "object", properties: fields } } } },
    },
  });
  const doc = (paths: Json) => ({ paths });
  const item = { type: "object", properties: { id: {}, name: {} } };

  it("finds nothing between equal documents, or when only things were added", () => {
    const before = doc({ "/a": { get: op({ id: {} }) } });
    const after = doc({ "/a": { get: op({ id: {}, extra: {} }) }, "/b": { post: op({}) } });
    expect(breakingChanges(before, before)).toEqual([]);
    expect(breakingChanges(before, after)).toEqual([]);
  });

  it("names a removed operation, a removed nested field, and a new required input", () => {
    const before = doc({
      "/a": { get: op({ items: { type: "array", items: item } }), delete: op({}) },
    });
    const after = doc({
      "/a": {
        get: op(
          { items: { type: "array", items: { type: "object", properties: { id: {} } } } },
          ["x"],
          [{ in: "query", name: "q", required: true }],
        ),
      },
    });
    expect(breakingChanges(before, after)).toEqual([
      'GET /a: response field "items[].name" removed or renamed',
      'GET /a: new required input "query:q"',
      'GET /a: input "body:x" became required',
      "DELETE /a: operation removed",
    ]);
  });

  it("follows $ref into components", () => {
    const before = {
      ...doc({ "/a": { get: op({ user: { $ref: "#/components/schemas/U" } }) } }),
      components: { schemas: { U: item } },
    };
    const after = { ...before, components: { schemas: { U: { type: "object", properties: { id: {} } } } } };
    expect(breakingChanges(before, after)).toEqual(['GET /a: response field "user.name" removed or renamed']);
  });
});
