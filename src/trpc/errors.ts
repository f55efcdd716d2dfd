/** Reading the API's error shape on the client (see src/server/trpc/errors.ts). */
import { TRPCClientError } from "@trpc/client";
import type { AppRouter } from "@/server/routers/_app";

export type ApiError = TRPCClientError<AppRouter>;

export function isApiError(error: unknown): error is ApiError {
  return error instanceof TRPCClientError;
}

/** Field → messages, from input validation or a service's field errors. */
export function fieldErrorsOf(error: unknown): Record<string, string[]> {
  return isApiError(error) ? (error.data?.fieldErrors ?? {}) : {};
}

export function errorCodeOf(error: unknown): string | undefined {
  return isApiError(error) ? error.data?.code : undefined;
}

/** A sentence for a toast or an error state. */
export function messageOf(error: unknown): string {
  if (isApiError(error)) {
    const fields = error.data?.fieldErrors;
    if (fields && Object.keys(fields).length) {
      return Object.entries(fields)
        .map(([field, messages]) => (field ? `${field}: ${messages.join(" ")}` : messages.join(" ")))
        .join("; ");
    }
    return error.message;
  }
  return error instanceof Error ? error.message : "Something went wrong";
}

/** Details a service attached (e.g. the current task on a CONFLICT). */
export function detailsOf(error: unknown): Record<string, unknown> | undefined {
  return isApiError(error) ? error.data?.details : undefined;
}
