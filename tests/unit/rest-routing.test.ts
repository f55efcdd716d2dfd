import { describe, expect, it } from "vitest";
import { z } from "zod";
import { inputFromQuery } from "@/server/rest/query-input";
import { matchRoute, restRoutes } from "@/server/rest/routes";

const path = (p: string) => p.split("/").filter(Boolean);

describe("matchRoute", () => {
  it("finds a route and its path parameters", () => {
    const match = matchRoute("GET", path("/workspaces/acme/tasks/t1"));
    expect(match).toMatchObject({
      kind: "found",
      route: { procedure: "task.get" },
      params: { workspaceSlug: "acme", taskId: "t1" },
    });
  });

  it("prefers literal segments over parameters", () => {
    expect(matchRoute("GET", path("/workspaces/acme/tasks/by-ref/WEB-1"))).toMatchObject({
      kind: "found",
      route: { procedure: "task.byRef" },
      params: { ref: "WEB-1" },
    });
    expect(matchRoute("POST", path("/workspaces/acme/tasks/query"))).toMatchObject({
      route: { procedure: "task.list" },
    });
    // Both templates fit; the one with a literal where the other has a parameter, earliest, wins.
    expect(matchRoute("GET", path("/workspaces/acme/tasks/by-ref/comments"))).toMatchObject({
      route: { procedure: "task.byRef" },
    });
  });

  it("says which methods a known path allows, and knows when there is no such path", () => {
    const wrong = matchRoute("PUT", path("/workspaces/acme/labels"));
    expect(wrong.kind).toBe("wrong-method");
    if (wrong.kind === "wrong-method") expect(wrong.allow.sort()).toEqual(["GET", "POST"]);
    expect(matchRoute("GET", path("/workspaces/acme/nothing"))).toEqual({ kind: "none" });
    expect(matchRoute("GET", [])).toEqual({ kind: "none" });
  });

  it("gives every route an input that takes its path parameters, and no two routes one method and path", () => {
    const seen = new Set<string>();
    for (const route of restRoutes()) {
      const key = `${route.method} ${route.segments.map((s) => (s.startsWith("{") ? "{}" : s)).join("/")}`;
      expect(seen.has(key), key).toBe(false);
      seen.add(key);
      const shape = (route.input as unknown as { shape: Record<string, unknown> }).shape;
      for (const segment of route.segments.filter((s) => s.startsWith("{")))
        expect(Object.keys(shape), `${route.procedure} ${segment}`).toContain(segment.slice(1, -1));
    }
  });
});

describe("inputFromQuery", () => {
  const schema = z.strictObject({
    limit: z.number().int().default(50),
    includeArchived: z.boolean().default(false),
    status: z.array(z.enum(["TODO", "DONE"])).optional(),
    cursor: z.string().nullish(),
  });
  const parse = (qs: string) => inputFromQuery(schema, new URLSearchParams(qs));

  it("converts exactly the numbers, booleans and lists the schema declares", () => {
    expect(parse("limit=20&includeArchived=true&status=TODO&status=DONE&cursor=abc")).toEqual({
      limit: 20,
      includeArchived: true,
      status: ["TODO", "DONE"],
      cursor: "abc",
    });
    expect(parse("status=TODO")).toEqual({ status: ["TODO"] });
    expect(parse("cursor=12")).toEqual({ cursor: "12" });
  });

  it("passes what is not exactly a number or boolean on as text, for the schema to refuse by name", () => {
    expect(parse("limit=1e3&includeArchived=yes")).toEqual({ limit: "1e3", includeArchived: "yes" });
    expect(schema.safeParse(parse("limit=ten")).error?.issues[0]?.path).toEqual(["limit"]);
    expect(schema.safeParse(parse("limit=1&limit=2")).success).toBe(false);
    expect(schema.safeParse(parse("unknown=1")).success).toBe(false);
  });
});
