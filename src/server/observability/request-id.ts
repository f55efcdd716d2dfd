import { randomUUID } from "node:crypto";

const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

/** Accepts a caller's x-request-id when it is sane; otherwise makes one. */
export function resolveRequestId(incoming: string | null | undefined): string {
  if (incoming && REQUEST_ID_PATTERN.test(incoming)) return incoming;
  return randomUUID();
}
