/**
 * The REST route table, read from the routers: every procedure whose metadata says
 * `rest(method, path, …)` (./meta.ts) is one route. Nothing here is written twice: adding the
 * metadata to a procedure publishes it under /api/v1 and in the OpenAPI document.
 */
import type { z } from "zod";
import { appRouter } from "@/server/routers/_app";
import type { ProcedureMeta } from "@/server/trpc/init";

export type RestMethod = "GET" | "POST" | "PATCH" | "DELETE";

export type RestRoute = {
  method: RestMethod;
  /** e.g. ["workspaces", "{workspaceSlug}", "tasks", "{taskId}"] */
  segments: string[];
  /** The tRPC path, e.g. "task.get". */
  procedure: string;
  type: "query" | "mutation";
  input: z.ZodType | undefined;
};

type ProcedureDef = { _def: { type: string; meta?: ProcedureMeta; inputs: z.ZodType[] } };

function buildRoutes(): RestRoute[] {
  const procedures = appRouter._def.procedures as unknown as Record<string, ProcedureDef>;
  const routes: RestRoute[] = [];
  for (const [procedure, { _def }] of Object.entries(procedures)) {
    const openapi = _def.meta?.openapi;
    if (!openapi || openapi.enabled === false) continue;
    if (_def.type !== "query" && _def.type !== "mutation") continue;
    routes.push({
      method: openapi.method as RestMethod,
      segments: openapi.path.split("/").filter(Boolean),
      procedure,
      type: _def.type,
      input: _def.inputs[0],
    });
  }
  return routes.sort(bySpecificity);
}

/**
 * At the first segment where one route has a literal and the other a parameter, the literal wins
 * (/tasks/by-ref/{ref} before /tasks/{taskId}/comments): the most specific match is tried first.
 */
function bySpecificity(a: RestRoute, b: RestRoute): number {
  for (let i = 0; i < Math.min(a.segments.length, b.segments.length); i++) {
    const aParam = isParameter(a.segments[i]!);
    const bParam = isParameter(b.segments[i]!);
    if (aParam !== bParam) return aParam ? 1 : -1;
  }
  return 0;
}

function isParameter(segment: string): boolean {
  return segment.startsWith("{") && segment.endsWith("}");
}

let table: RestRoute[] | null = null;
export function restRoutes(): RestRoute[] {
  table ??= buildRoutes();
  return table;
}

export type RouteMatch =
  | { kind: "found"; route: RestRoute; params: Record<string, string> }
  | { kind: "wrong-method"; allow: RestMethod[] }
  | { kind: "none" };

/** `segments` are the request path's, already percent-decoded. */
export function matchRoute(method: string, segments: readonly string[]): RouteMatch {
  const allow = new Set<RestMethod>();
  for (const route of restRoutes()) {
    const params = matchSegments(route.segments, segments);
    if (!params) continue;
    if (route.method === method) return { kind: "found", route, params };
    allow.add(route.method);
  }
  return allow.size ? { kind: "wrong-method", allow: [...allow] } : { kind: "none" };
}

function matchSegments(pattern: readonly string[], actual: readonly string[]): Record<string, string> | null {
  if (pattern.length !== actual.length) return null;
  const params: Record<string, string> = {};
  for (const [index, segment] of pattern.entries()) {
    const value = actual[index]!;
    if (isParameter(segment)) params[segment.slice(1, -1)] = value;
    else if (segment !== value) return null;
  }
  return params;
}
