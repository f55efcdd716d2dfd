/**
 * Every kind of background job, as a table: its payload (Zod, checked when enqueued and again when
 * run), its retry policy, its schedule if it has one, and what it does. A handler must be
 * idempotent: a job can run more than once (a worker killed mid-job, an expired lease) and its
 * effect must happen once.
 */
import { z } from "zod";
import { db } from "@/server/db/client";
import { logger } from "@/server/observability/logger";
import { purgeExpired } from "@/server/services/maintenance";
import { sendNotificationEmail } from "@/server/services/notification-email";
import { publishDomainEvent } from "@/server/services/domain-events";
import { notifyDueSoon, sendDueDigests } from "@/server/services/due-digest";
import {
  markInvitationEmailFailed,
  reencryptInvitationTokens,
  sendInvitationEmail,
} from "@/server/services/invitations";
import { deliverWebhook, reencryptWebhookSecrets, sendWebhookDisabledEmail } from "@/server/services/webhooks";
import { DELIVERY_ATTEMPTS, DELIVERY_TIMEOUT_MS, RETRY_DELAY_SECONDS } from "@/server/services/webhook-policy";

export type JobDefinition = {
  payload: z.ZodType;
  /** Attempts after the first, and the first delay in seconds; later delays double, with jitter. */
  retry: { limit: number; delaySeconds: number };
  /** A running job not finished by then is taken back and retried (its worker is presumed dead). */
  expireInSeconds: number;
  /** Cron (UTC) for jobs that run on a schedule. */
  cron?: string;
  run(payload: unknown, job: JobRun): Promise<void>;
};

/** The run at hand: the job's id, and whether the queue will give up if this attempt fails. */
export type JobRun = { id: string; lastAttempt?: boolean };

export type JobTable = Record<string, JobDefinition>;

/** A definition whose handler receives its own payload type. */
export function defineJob<Payload extends z.ZodType>(definition: {
  payload: Payload;
  retry: JobDefinition["retry"];
  expireInSeconds: number;
  cron?: string;
  run(payload: z.infer<Payload>, job: JobRun): Promise<void>;
}): JobDefinition & { payload: Payload } {
  return { ...definition, run: (payload, job) => definition.run(definition.payload.parse(payload), job) };
}

export const JOBS = {
  /** The email copy of a mention or assignment (its id is the notification's: once per notification). */
  "mail.notification": defineJob({
    payload: z.object({ notificationId: z.string() }),
    retry: { limit: 6, delaySeconds: 30 },
    expireInSeconds: 120,
    async run({ notificationId }) {
      await sendNotificationEmail(db(), notificationId);
    },
  }),
  /** An invitation's email (its id is the invitation's: once per invitation, never after a revoke). */
  "mail.invitation": defineJob({
    payload: z.object({ invitationId: z.string() }),
    retry: { limit: 8, delaySeconds: 15 },
    expireInSeconds: 120,
    async run({ invitationId }, job) {
      try {
        await sendInvitationEmail(db(), invitationId);
      } catch (error) {
        // Giving up: the invitation says so (the inviter can invite again), and its token is dropped.
        if (job.lastAttempt) await markInvitationEmailFailed(db(), invitationId);
        throw error;
      }
    },
  }),
  /**
   * One event to one webhook (the id is the delivery's). A failed attempt throws, so the queue
   * retries it after a doubling delay; the last one settles the delivery as failed.
   */
  "webhook.deliver": defineJob({
    payload: z.object({ deliveryId: z.string() }),
    retry: { limit: DELIVERY_ATTEMPTS - 1, delaySeconds: RETRY_DELAY_SECONDS },
    expireInSeconds: Math.ceil(DELIVERY_TIMEOUT_MS / 1000) * 4,
    async run({ deliveryId }) {
      await deliverWebhook(db(), deliveryId, "automatic");
    },
  }),
  /** A delivery sent again because a person asked: one try, logged like the others. */
  "webhook.replay": defineJob({
    payload: z.object({ deliveryId: z.string() }),
    retry: { limit: 0, delaySeconds: 1 },
    expireInSeconds: Math.ceil(DELIVERY_TIMEOUT_MS / 1000) * 4,
    async run({ deliveryId }) {
      await deliverWebhook(db(), deliveryId, "replay");
    },
  }),
  /** Tells a webhook's creator that Lanes turned it off. */
  "mail.webhook_disabled": defineJob({
    payload: z.object({ webhookId: z.string() }),
    retry: { limit: 6, delaySeconds: 30 },
    expireInSeconds: 120,
    async run({ webhookId }) {
      await sendWebhookDisabledEmail(db(), webhookId);
    },
  }),
  /** One domain event to RabbitMQ (AMQP_URL), confirmed by the broker; retried while it is down. */
  "events.publish": defineJob({
    payload: z.object({ eventId: z.string() }),
    // 1 s doubling with jitter: a broker back within minutes gets everything at once; the last
    // retries are days apart, and after them the job waits in events.publish.dead to be retried by hand.
    retry: { limit: 20, delaySeconds: 1 },
    expireInSeconds: 60,
    async run({ eventId }) {
      await publishDomainEvent(db(), eventId);
    },
  }),
  /**
   * Daily at 07:00 UTC: each person's open tasks due today or tomorrow, or overdue, in one email; and
   * an in-app notification for each task due today or tomorrow (everyone: in-app is always on).
   */
  "mail.due_digest": defineJob({
    payload: z.object({}),
    retry: { limit: 3, delaySeconds: 300 },
    expireInSeconds: 1_800,
    cron: "0 7 * * *",
    async run() {
      const notified = await notifyDueSoon(db());
      const sent = await sendDueDigests(db());
      logger.info({ sent, notified }, "due-soon digests sent, notifications made");
    },
  }),
  /** Hourly: expired sessions and sign-in tokens, spent invitations, old captured mail. */
  "maintenance.purge": defineJob({
    payload: z.object({}),
    retry: { limit: 3, delaySeconds: 60 },
    expireInSeconds: 600,
    cron: "17 * * * *",
    async run() {
      const report = await purgeExpired(db());
      if (report) logger.info({ purged: report }, "purged expired rows");
      // After an encryption key rotation, secrets sealed with an older key are sealed again.
      await reencryptWebhookSecrets(db());
      await reencryptInvitationTokens(db());
    },
  }),
} satisfies JobTable;

export type JobName = keyof typeof JOBS;
export type JobPayload<Name extends JobName> = z.input<(typeof JOBS)[Name]["payload"]>;
