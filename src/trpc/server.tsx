import "server-only";
import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import { createTRPCOptionsProxy } from "@trpc/tanstack-react-query";
import { headers } from "next/headers";
import { cache } from "react";
import { appRouter, createCaller } from "@/server/routers/_app";
import { createInnerContext } from "@/server/trpc/context";
import { auth } from "@/server/auth/config";
import { db } from "@/server/db/client";
import { resolveRequestId } from "@/server/observability/request-id";
import { isEdgeToken, PAGE_COUNTED_HEADER } from "@/server/http/client-ip";
import { makeQueryClient } from "./query-client";

/** One context per server render, shared by every prefetch in it. */
const createRscContext = cache(async () => {
  const [session, h] = await Promise.all([auth(), headers()]);
  return createInnerContext({
    db: db(),
    viewer: session?.user?.id ? { userId: session.user.id } : null,
    requestId: resolveRequestId(h.get("x-request-id")),
    // Counted once at the door with its page (src/server/http/page-budget.ts), when it was.
    countedByPage: isEdgeToken(h.get(PAGE_COUNTED_HEADER)),
  });
});

export const getQueryClient = cache(makeQueryClient);

/** Query options for Server Components: `await getQueryClient().fetchQuery(trpc.x.y.queryOptions(input))`. */
export const trpc = createTRPCOptionsProxy({ ctx: createRscContext, router: appRouter, queryClient: getQueryClient });

/** Direct calls from Server Components and server actions. */
export const serverCaller = cache(async () => createCaller(await createRscContext()));

/** Sends what this render prefetched to the client's query cache. */
export function HydrateClient({ children }: { children: React.ReactNode }) {
  return <HydrationBoundary state={dehydrate(getQueryClient())}>{children}</HydrationBoundary>;
}
