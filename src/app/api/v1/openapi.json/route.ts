import { env } from "@/server/env";
import { openApiDocument } from "@/server/rest/openapi";

/** The OpenAPI 3.1 document, with this deployment's address as its server. */
export function GET(): Response {
  return Response.json(openApiDocument(env().APP_URL), {
    headers: { "cache-control": "public, max-age=300" },
  });
}
