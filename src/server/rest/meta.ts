/**
 * How a procedure appears under /api/v1 (the REST handler and the OpenAPI generator read this
 * metadata; the procedure, its permission, input and output schemas are the tRPC ones: REST is a
 * second door, not a second implementation). Paths are relative to a workspace:
 * /api/v1/workspaces/{workspaceSlug}….
 */
import type { OpenApiMeta } from "trpc-to-openapi";

export const REST_BASE_PATH = "/api/v1";

type Method = "GET" | "POST" | "PATCH" | "DELETE";
export const REST_TAGS = [
  "Workspace",
  "Members",
  "Invitations",
  "Projects",
  "Tasks",
  "Comments",
  "Labels",
  "Activity",
  "Search",
  "Webhooks",
] as const;
export type RestTag = (typeof REST_TAGS)[number];

export function rest(method: Method, path: `/${string}` | "", tag: RestTag, summary: string): OpenApiMeta {
  return {
    openapi: {
      method,
      path: `/workspaces/{workspaceSlug}${path}`,
      tags: [tag],
      summary,
      protect: true,
    },
  };
}
