import { defaultShouldDehydrateQuery, QueryClient } from "@tanstack/react-query";
import superjson from "superjson";
import { retryAfterOf } from "./errors";

/** The longest a query waits on its own before it shows the error (the message says when to retry). */
const MAX_RETRY_DELAY_MS = 30_000;

export function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // Server-rendered data is fresh for a moment; avoids an immediate refetch after hydration.
        staleTime: 30_000,
        // A 429 or 503 says when to come back (Retry-After): wait that long, once or twice; other 4xx are final.
        retry: (failureCount, error) => failureCount < 2 && (!isClientError(error) || retryAfterOf(error) !== null),
        retryDelay: (failureCount, error) =>
          Math.min(MAX_RETRY_DELAY_MS, (retryAfterOf(error) ?? 0) * 1000 || 1000 * 2 ** failureCount),
      },
      dehydrate: {
        serializeData: superjson.serialize,
        shouldDehydrateQuery: (query) => defaultShouldDehydrateQuery(query) || query.state.status === "pending",
      },
      hydrate: { deserializeData: superjson.deserialize },
    },
  });
}

/** 4xx answers will not change on retry. */
function isClientError(error: unknown): boolean {
  const status = (error as { data?: { httpStatus?: number } } | null)?.data?.httpStatus;
  return typeof status === "number" && status >= 400 && status < 500;
}
