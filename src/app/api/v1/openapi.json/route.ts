import { env } from "@/server/env";
import { openApiDocument } from "@/server/rest/openapi";
import { methodNotAllowed } from "@/server/rest/handler";

/** Built once per process: the document depends only on the routers and APP_URL. */
let served: { appUrl: string; body: string } | null = null;

/** The OpenAPI 3.1 document, with this deployment's address as its server. */
export function GET(): Response {
  const appUrl = env().APP_URL;
  if (served?.appUrl !== appUrl) served = { appUrl, body: JSON.stringify(openApiDocument(appUrl)) };
  return new Response(served.body, {
    headers: { "content-type": "application/json", "cache-control": "public, max-age=300" },
  });
}

/** Other methods: the API's JSON 405. */
function notAllowed(req: Request): Response {
  return methodNotAllowed(req, ["GET"]);
}

export { notAllowed as POST, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
