import { TRPCError } from "@trpc/server";
import { expect } from "vitest";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { formatErrorData } from "@/server/trpc/errors";

/**
 * Awaits a call expected to fail and returns the error as a client would see it
 * (the formatted shape), so tests assert on codes and field errors, not internals.
 */
export async function expectApiError(promise: Promise<unknown>, code: TRPCError["code"]) {
  const error = await promise.then(
    () => {
      throw new Error(`expected ${code}, but the call succeeded`);
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TRPCError);
  const trpcError = error as TRPCError;
  expect(trpcError.code, trpcError.message).toBe(code);
  return formatErrorData(trpcError, getHTTPStatusCodeFromError(trpcError), null);
}
