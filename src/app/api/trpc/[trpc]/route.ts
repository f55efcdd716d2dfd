import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { appRouter } from "@/server/routers/_app";
import { createRequestContext } from "@/server/trpc/request-context";
import { requestScope, resolveRequestId } from "@/server/observability/request-id";

async function handler(req: Request): Promise<Response> {
  const requestId = resolveRequestId(req.headers.get("x-request-id"));
  const response = await requestScope.run({ requestId }, () => fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router: appRouter,
    createContext: ({ resHeaders }) => {
      resHeaders.set("x-request-id", requestId);
      return createRequestContext({ headers: req.headers, requestId, resHeaders });
    },
  }));
  // Also on answers tRPC gives before any context exists (415, oversized batch, …).
  response.headers.set("x-request-id", requestId);
  return response;
}

export { handler as GET, handler as POST };
