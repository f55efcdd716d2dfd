import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";

const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

/** Accepts a caller's x-request-id when it is sane; otherwise makes one. */
export function resolveRequestId(incoming: string | null | undefined): string {
  if (incoming && REQUEST_ID_PATTERN.test(incoming)) return incoming;
  return randomUUID();
}

/**
 * The current request's id for code that runs outside a tRPC context, e.g. the
 * error formatter when tRPC refuses a request before creating one.
 */
export const requestScope = new AsyncLocalStorage<{ requestId: string }>();
