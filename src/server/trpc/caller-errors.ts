import { TRPCError } from "@trpc/server";

/** For Server Components: a missing or foreign workspace/task renders the 404 page. */
export function isNotFound(error: unknown): boolean {
  return error instanceof TRPCError && (error.code === "NOT_FOUND" || error.code === "BAD_REQUEST");
}
