/** How hard Lanes tries to deliver a webhook (no imports: the job table reads it while modules load). */

/** Attempts per delivery: the first and 12 retries, 5 s doubling (with jitter) — about 6 hours in all. */
export const DELIVERY_ATTEMPTS = 13;
export const RETRY_DELAY_SECONDS = 5;
/** Deliveries failing every attempt, in a row, before the webhook is turned off. */
export const FAILURES_TO_DISABLE = 5;
/** The receiver must answer within this. */
export const DELIVERY_TIMEOUT_MS = 10_000;
/** Sends in a row without an answer (or with a 5xx) before a receiver is left alone for a while… */
export const RECEIVER_FAILURES_TO_PAUSE = 5;
/** …this long (./webhook-breaker.ts). */
export const RECEIVER_PAUSE_MS = 60_000;
