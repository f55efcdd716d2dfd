/** Limits both sides of /api/trpc agree on. */

/** Calls in one batched HTTP request; the server refuses larger batches (400), the web client never sends them. */
export const MAX_BATCH_SIZE = 20;
