/** Webhooks as their managers see them. The signing secret appears once: in the answer to create (or rotate). */
import { z } from "zod";
import { idSchema, inWorkspace, pageInput, pageOf, userSummarySchema } from "./common";
import { EVENT_TYPES } from "./events";

/** Every event type, or `*` for all (including types added later). */
export const webhookEventSchema = z.enum([...EVENT_TYPES, "*"]);
export const MAX_WEBHOOKS_PER_WORKSPACE = 20;

export const webhookUrlSchema = z
  .string()
  .trim()
  .max(2000, "Use at most 2000 characters")
  .pipe(z.url({ protocol: /^https?$/, message: "Enter an http or https URL" }));

export const webhookSchema = z.object({
  id: z.string(),
  url: z.string(),
  description: z.string(),
  events: z.array(webhookEventSchema),
  enabled: z.boolean(),
  /** Why Lanes turned it off (it kept failing); null when on or turned off by a person. */
  disabledReason: z.string().nullable(),
  consecutiveFailures: z.number().int(),
  createdAt: z.date(),
  createdBy: userSummarySchema.nullable(),
});
export type WebhookDto = z.infer<typeof webhookSchema>;

const eventsInput = z
  .array(webhookEventSchema)
  .min(1, "Choose at least one event")
  .max(EVENT_TYPES.length + 1)
  .refine((events) => new Set(events).size === events.length, "Each event once");

export const createWebhookInput = inWorkspace({
  url: webhookUrlSchema,
  description: z.string().trim().max(200, "Use at most 200 characters").default(""),
  events: eventsInput,
});

/** The new webhook, and its signing secret (whsec_…): shown once, stored encrypted. */
export const createdWebhookSchema = z.object({ webhook: webhookSchema, secret: z.string() });

export const updateWebhookInput = inWorkspace({
  webhookId: idSchema,
  url: webhookUrlSchema.optional(),
  description: z.string().trim().max(200, "Use at most 200 characters").optional(),
  events: eventsInput.optional(),
  /** Turning it on again also forgets its past failures. */
  enabled: z.boolean().optional(),
});

export const webhookIdInput = inWorkspace({ webhookId: idSchema });

export const webhookAttemptSchema = z.object({
  id: z.string(),
  trigger: z.enum(["automatic", "replay"]),
  startedAt: z.date(),
  durationMs: z.number().int(),
  /** The receiver's HTTP status; null when there was no answer (see `error`). */
  responseStatus: z.number().int().nullable(),
  /** The start of the answer's body (1 KB at most). */
  responseExcerpt: z.string().nullable(),
  error: z.string().nullable(),
});

export const webhookDeliverySchema = z.object({
  /** Also the `webhook-id` header: the receiver deduplicates by it. */
  id: z.string(),
  eventId: z.string().nullable(),
  eventType: z.string(),
  status: z.enum(["PENDING", "SUCCEEDED", "FAILED"]),
  /** The queue's attempts (replays are in `attempts` but not counted here). */
  attemptCount: z.number().int(),
  lastAttemptAt: z.date().nullable(),
  /** Roughly when the queue tries again (retries back off exponentially, with jitter). */
  nextAttemptAt: z.date().nullable(),
  createdAt: z.date(),
  attempts: z.array(webhookAttemptSchema),
});
export type WebhookDeliveryDto = z.infer<typeof webhookDeliverySchema>;

export const listDeliveriesInput = inWorkspace({ webhookId: idSchema, ...pageInput });
export const deliveryPageSchema = pageOf(webhookDeliverySchema);
export const replayDeliveryInput = inWorkspace({ deliveryId: idSchema });
