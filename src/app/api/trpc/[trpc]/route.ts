import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { appRouter } from "@/server/routers/_app";
import { createRequestContext } from "@/server/trpc/request-context";
import { resolveRequestId } from "@/server/observability/request-id";

function handler(req: Request): Promise<Response> {
  const requestId = resolveRequestId(req.headers.get("x-request-id"));
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router: appRouter,
    createContext: ({ resHeaders }) => {
      resHeaders.set("x-request-id", requestId);
      return createRequestContext({ headers: req.headers, requestId, resHeaders });
    },
  });
}

export { handler as GET, handler as POST };
