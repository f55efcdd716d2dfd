/** Webhooks, their deliveries and each delivery's attempts. */
import type { DbTx } from "./client";
import type { Prisma } from "./generated/client";
import { userSummarySelect } from "./users";
import { afterTimeKey, type TimeKey } from "./keyset";
import { domainEventSelect } from "./activity";

export const webhookSelect = {
  id: true,
  url: true,
  description: true,
  events: true,
  enabled: true,
  disabledReason: true,
  consecutiveFailures: true,
  createdAt: true,
  createdBy: { select: userSummarySelect },
} satisfies Prisma.WebhookSelect;

export type WebhookRow = Prisma.WebhookGetPayload<{ select: typeof webhookSelect }>;

export function createWebhookRow(
  db: DbTx,
  data: {
    workspaceId: string;
    url: string;
    description: string;
    events: string[];
    secretCiphertext: string;
    createdById: string;
  },
) {
  return db.webhook.create({ data, select: webhookSelect });
}

export function listWebhookRows(db: DbTx, workspaceId: string) {
  return db.webhook.findMany({ where: { workspaceId }, orderBy: { createdAt: "asc" }, select: webhookSelect });
}

export function findWebhook(db: DbTx, workspaceId: string, webhookId: string) {
  return db.webhook.findFirst({ where: { id: webhookId, workspaceId }, select: webhookSelect });
}

export function updateWebhookRow(
  db: DbTx,
  webhookId: string,
  data: Partial<{
    url: string;
    description: string;
    events: string[];
    enabled: boolean;
    disabledReason: string | null;
    consecutiveFailures: number;
    secretCiphertext: string;
  }>,
) {
  return db.webhook.update({ where: { id: webhookId }, data, select: webhookSelect });
}

export function deleteWebhookRow(db: DbTx, webhookId: string) {
  return db.webhook.delete({ where: { id: webhookId }, select: { id: true } });
}

/** The workspace's webhooks that are on, with what they listen to (read in every audited change). */
export function listEnabledWebhookEvents(db: DbTx, workspaceId: string) {
  return db.webhook.findMany({ where: { workspaceId, enabled: true }, select: { id: true, events: true } });
}

export function createDeliveries(
  db: DbTx,
  rows: { webhookId: string; workspaceId: string; eventId: string; eventType: string }[],
) {
  return db.webhookDelivery.createManyAndReturn({ data: rows, select: { id: true } });
}

export const attemptSelect = {
  id: true,
  trigger: true,
  startedAt: true,
  durationMs: true,
  responseStatus: true,
  responseExcerpt: true,
  error: true,
} satisfies Prisma.WebhookAttemptSelect;

export const deliverySelect = {
  id: true,
  eventId: true,
  eventType: true,
  status: true,
  attemptCount: true,
  lastAttemptAt: true,
  nextAttemptAt: true,
  createdAt: true,
  attempts: { select: attemptSelect, orderBy: { startedAt: "asc" } },
} satisfies Prisma.WebhookDeliverySelect;

export type DeliveryRow = Prisma.WebhookDeliveryGetPayload<{ select: typeof deliverySelect }>;

/** A webhook's deliveries, newest first, each with all its attempts. */
export function listDeliveryRows(db: DbTx, webhookId: string, after: TimeKey | undefined, take: number) {
  const base: Prisma.WebhookDeliveryWhereInput = { webhookId };
  return db.webhookDelivery.findMany({
    where: after ? { AND: [base, afterTimeKey(after, "desc")] } : base,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take,
    select: deliverySelect,
  });
}

export function findDeliveryInWorkspace(db: DbTx, workspaceId: string, deliveryId: string) {
  return db.webhookDelivery.findFirst({ where: { id: deliveryId, workspaceId }, select: deliverySelect });
}

/** Everything the sender needs: the delivery, its webhook (with the sealed secret) and its event. */
export function findDeliveryForSending(db: DbTx, deliveryId: string) {
  return db.webhookDelivery.findUnique({
    where: { id: deliveryId },
    select: {
      id: true,
      status: true,
      attemptCount: true,
      eventType: true,
      payload: true,
      createdAt: true,
      webhook: {
        select: {
          id: true,
          url: true,
          enabled: true,
          secretCiphertext: true,
          consecutiveFailures: true,
          workspaceId: true,
          createdById: true,
        },
      },
      event: { select: domainEventSelect },
    },
  });
}

export type DeliveryForSending = NonNullable<Awaited<ReturnType<typeof findDeliveryForSending>>>;

export function recordAttempt(
  db: DbTx,
  deliveryId: string,
  attempt: {
    trigger: "automatic" | "replay";
    startedAt: Date;
    durationMs: number;
    responseStatus: number | null;
    responseExcerpt: string | null;
    error: string | null;
  },
  delivery: {
    status: "PENDING" | "SUCCEEDED" | "FAILED";
    /** undefined: unchanged (a replay leaves the queue's schedule alone). */
    nextAttemptAt?: Date | null;
    /** Whether this was one of the queue's attempts (counted against the limit) rather than a replay. */
    automatic?: boolean;
    payload?: Prisma.InputJsonValue;
  },
) {
  return db.webhookDelivery.update({
    where: { id: deliveryId },
    data: {
      status: delivery.status,
      nextAttemptAt: delivery.nextAttemptAt,
      lastAttemptAt: attempt.startedAt,
      ...(delivery.automatic === false ? {} : { attemptCount: { increment: 1 } }),
      ...(delivery.payload !== undefined ? { payload: delivery.payload } : {}),
      attempts: { create: attempt },
    },
    select: { id: true },
  });
}

/** Counts a delivery that failed every attempt; returns the webhook's new count of failures in a row. */
export async function countFailedDelivery(db: DbTx, webhookId: string): Promise<number> {
  const row = await db.webhook.update({
    where: { id: webhookId },
    data: { consecutiveFailures: { increment: 1 } },
    select: { consecutiveFailures: true },
  });
  return row.consecutiveFailures;
}

export function resetFailures(db: DbTx, webhookId: string) {
  return db.webhook.updateMany({
    where: { id: webhookId, consecutiveFailures: { gt: 0 } },
    data: { consecutiveFailures: 0 },
  });
}

/** Turns a webhook off because it kept failing (once: false when it was already off). */
export async function disableFailingWebhook(db: DbTx, webhookId: string, reason: string): Promise<boolean> {
  const { count } = await db.webhook.updateMany({
    where: { id: webhookId, enabled: true },
    data: { enabled: false, disabledReason: reason },
  });
  return count === 1;
}

/** Secrets sealed with a key other than the current one (`keyId.` prefix), for re-encryption. */
export function listSecretsNotSealedWith(db: DbTx, keyId: string) {
  return db.webhook.findMany({
    where: { NOT: { secretCiphertext: { startsWith: `${keyId}.` } } },
    select: { id: true, secretCiphertext: true },
  });
}

/** What the "turned off" email needs, and who should get it: the creator while a member, else the owners. */
export async function findWebhookForNotice(db: DbTx, webhookId: string) {
  const webhook = await db.webhook.findUnique({
    where: { id: webhookId },
    select: {
      url: true,
      enabled: true,
      disabledReason: true,
      workspace: { select: { id: true, name: true, slug: true } },
      createdBy: { select: { id: true, email: true } },
    },
  });
  if (!webhook) return null;
  const members = await db.membership.findMany({
    where: {
      workspaceId: webhook.workspace.id,
      OR: [{ role: "OWNER" }, ...(webhook.createdBy ? [{ userId: webhook.createdBy.id }] : [])],
    },
    select: { role: true, user: { select: { id: true, email: true } } },
  });
  const creator = members.find((m) => m.user.id === webhook.createdBy?.id);
  const recipients = creator
    ? [creator.user.email]
    : members.filter((m) => m.role === "OWNER").map((m) => m.user.email);
  return { ...webhook, recipients };
}

/**
 * Deliveries older than `before`, whatever their state: the queue gives up on a delivery within about
 * six hours, so one still pending a month later was left behind (its job died with an error no attempt recorded).
 */
export async function deleteWebhookDeliveriesBefore(db: DbTx, before: Date): Promise<number> {
  const { count } = await db.webhookDelivery.deleteMany({ where: { createdAt: { lt: before } } });
  return count;
}

/** Replaces a sealed secret, only if unchanged since read: a secret rotated meanwhile is not overwritten. */
export function resealSecret(db: DbTx, webhookId: string, sealed: string, resealed: string) {
  return db.webhook.updateMany({
    where: { id: webhookId, secretCiphertext: sealed },
    data: { secretCiphertext: resealed },
  });
}
