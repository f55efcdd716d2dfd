/**
 * A circuit breaker per webhook receiver, in this process: after RECEIVER_FAILURES_TO_PAUSE sends in a
 * row that got no answer (refused, timed out) or a 5xx, the webhook's automatic deliveries are not sent
 * for RECEIVER_PAUSE_MS — each such attempt is logged as "Not sent" at once and the queue retries it on
 * its schedule — then one send is tried. A dead or hanging receiver with many deliveries queued then
 * costs one timeout per pause, not one per delivery, and no worker waits on it. A 4xx is an answer (the
 * receiver is up and refusing) and does not count. Replays, which a person asks for, are always sent.
 */
import { CircuitBreaker, CircuitOpenError } from "@/server/http/circuit-breaker";
import { logger } from "@/server/observability/logger";
import { RECEIVER_FAILURES_TO_PAUSE, RECEIVER_PAUSE_MS } from "./webhook-policy";

export type SendOutcome = { status: number | null; excerpt: string | null; error: string | null };

type Receiver = { breaker: CircuitBreaker; lastFailure: string };

const receivers = new Map<string, Receiver>();

class ReceiverFailing extends Error {
  constructor(readonly outcome: SendOutcome) {
    super(outcome.error ?? `HTTP ${outcome.status}`);
  }
}

function failing(outcome: SendOutcome): boolean {
  return outcome.status === null || outcome.status >= 500;
}

function receiverOf(webhookId: string): Receiver {
  let receiver = receivers.get(webhookId);
  if (!receiver) {
    receiver = {
      lastFailure: "",
      breaker: new CircuitBreaker(`webhook ${webhookId}`, {
        threshold: RECEIVER_FAILURES_TO_PAUSE,
        openMs: RECEIVER_PAUSE_MS,
        onOpen: (error) =>
          logger.warn({ webhookId, err: error }, "webhook receiver keeps failing: pausing its deliveries"),
      }),
    };
    receivers.set(webhookId, receiver);
  }
  return receiver;
}

/** Sends through the webhook's breaker (`automatic`), or straight away (a replay). */
export async function sendGuarded(
  webhookId: string,
  trigger: "automatic" | "replay",
  send: () => Promise<SendOutcome>,
): Promise<SendOutcome> {
  if (trigger === "replay") return send();
  const receiver = receiverOf(webhookId);
  try {
    return await receiver.breaker.run(async () => {
      const outcome = await send();
      if (failing(outcome)) throw new ReceiverFailing(outcome);
      return outcome;
    });
  } catch (error) {
    if (error instanceof ReceiverFailing) {
      receiver.lastFailure = error.message;
      return error.outcome;
    }
    if (error instanceof CircuitOpenError) {
      const seconds = Math.max(1, Math.ceil(error.retryInMs / 1000));
      return {
        status: null,
        excerpt: null,
        error: `Not sent: the receiver failed ${RECEIVER_FAILURES_TO_PAUSE} times in a row (last: ${receiver.lastFailure}); trying it again in ${seconds} s`,
      };
    }
    throw error;
  }
}

/** Forgets every receiver's failures (tests). */
export function resetWebhookBreakers(): void {
  receivers.clear();
}
