/**
 * Webhooks (docs/decisions/0032-webhooks.md, docs/webhooks.md): owners and admins register URLs for
 * event types; every audited change enqueues one delivery per matching webhook in its own
 * transaction; the queue sends it, signed as Standard Webhooks specifies, retrying with backoff;
 * every attempt is logged; a delivery can be replayed; a webhook whose deliveries keep failing is
 * turned off and its creator told.
 */
import { randomBytes, randomUUID } from "node:crypto";
import dns from "node:dns/promises";
import { Webhook as StandardWebhook } from "standardwebhooks";
import { AppError } from "@/server/errors";
import type { DbTx } from "@/server/db/client";
import type { Prisma } from "@/server/db/generated/client";
import type { RecordedEvent } from "@/server/db/activity";
import {
  countFailedDelivery,
  createDeliveries,
  createWebhookRow,
  deleteWebhookRow,
  disableFailingWebhook,
  findDeliveryForSending,
  findDeliveryInWorkspace,
  findWebhook,
  findWebhookForNotice,
  listDeliveryRows,
  listEnabledWebhookEvents,
  listSecretsNotSealedWith,
  listWebhookRows,
  recordAttempt,
  resealSecret,
  resetFailures,
  updateWebhookRow,
  type DeliveryForSending,
  type WebhookRow,
} from "@/server/db/webhooks";
import { configuredKeyring, decryptSecret, encryptSecret, currentKeyId } from "@/server/crypto/secrets";
import type { Key } from "@/server/crypto/keys";
import { checkTarget, mayConnect, postJson, TargetRefused } from "@/server/http/outbound";
import { enqueue, enqueueAll } from "@/server/jobs/queue";
import { sendMail } from "@/server/mail/mailer";
import { sendGuarded, type SendOutcome } from "./webhook-breaker";
import { webhookDisabledEmail } from "@/server/mail/templates";
import { env } from "@/server/env";
import { logger } from "@/server/observability/logger";
import type { DomainEvent } from "@/shared/schemas/events";
import { toDomainEvent } from "./domain-events";
import { MAX_WEBHOOKS_PER_WORKSPACE, type WebhookDeliveryDto, type WebhookDto } from "@/shared/schemas/webhook";
import { decodeTimeCursor, encodeTimeCursor, toPage } from "./pagination";
import type { WorkspaceContext } from "./context";
import { audit, type WebhookChange, type WebhookFields } from "./audit";
import { DELIVERY_ATTEMPTS, DELIVERY_TIMEOUT_MS, FAILURES_TO_DISABLE, RETRY_DELAY_SECONDS } from "./webhook-policy";

function targetPolicy() {
  return { allowed: env().WEBHOOK_ALLOWED_TARGETS.map((entry) => entry.toLowerCase()) };
}

/** A new signing secret in Standard Webhooks' form: whsec_ and 32 random bytes, base64. */
function newSecret(): string {
  return `whsec_${randomBytes(32).toString("base64")}`;
}

function toDto(row: WebhookRow): WebhookDto {
  return { ...row, events: row.events as WebhookDto["events"] };
}

/**
 * Refuses a URL that can only reach inside (checked again, on the address used, at every delivery):
 * a literal private address, or a name resolving only to private addresses, unless allow-listed.
 */
async function checkWebhookUrl(url: string): Promise<void> {
  const policy = targetPolicy();
  const parsed = new URL(url);
  const refuse = (message: string) => AppError.badRequest("Invalid input", { url: [message] });
  try {
    checkTarget(policy, parsed);
  } catch (error) {
    if (error instanceof TargetRefused) throw refuse(error.message);
    throw error;
  }
  const host = parsed.hostname.replace(/^\[|\]$/g, "");
  const addresses = await dns.lookup(host, { all: true }).catch(() => null);
  // A name that does not resolve yet is allowed: deliveries fail (and are logged) until it does.
  if (addresses && addresses.length && !addresses.some((a) => mayConnect(policy, host, a.address)))
    throw refuse(`${host} points to ${addresses[0]!.address}, which is not a public address`);
}

export async function listWebhooks(ctx: WorkspaceContext): Promise<WebhookDto[]> {
  return (await listWebhookRows(ctx.db, ctx.workspace.id)).map(toDto);
}

/** What the audit trail keeps of a webhook: the host, never the whole URL (it can carry a token). */
function trailFields(row: { url: string; events: string[] }): WebhookFields {
  return { host: new URL(row.url).host, events: row.events };
}

export async function createWebhook(
  ctx: WorkspaceContext,
  input: { url: string; description: string; events: string[] },
): Promise<{ webhook: WebhookDto; secret: string }> {
  if ((await listWebhookRows(ctx.db, ctx.workspace.id)).length >= MAX_WEBHOOKS_PER_WORKSPACE)
    throw AppError.conflict(`A workspace has at most ${MAX_WEBHOOKS_PER_WORKSPACE} webhooks; remove one first`);
  await checkWebhookUrl(input.url);
  const secret = newSecret();
  const row = await ctx.db.$transaction(async (tx) => {
    const created = await createWebhookRow(tx, {
      workspaceId: ctx.workspace.id,
      url: input.url,
      description: input.description,
      events: input.events,
      secretCiphertext: encryptSecret(secret),
      createdById: ctx.userId,
    });
    await audit(tx, ctx, { action: "webhook.created", entityId: created.id, after: trailFields(created) });
    return created;
  });
  return { webhook: toDto(row), secret };
}

async function webhookOf(ctx: WorkspaceContext, webhookId: string): Promise<WebhookRow> {
  const row = await findWebhook(ctx.db, ctx.workspace.id, webhookId);
  if (!row) throw AppError.notFound("Webhook");
  return row;
}

/** The fields a change touched, before and after, as the trail keeps them. */
function webhookChange(before: WebhookRow, after: WebhookRow) {
  const was = trailFields(before);
  const now = trailFields(after);
  const change: { before: WebhookChange; after: WebhookChange } = { before: {}, after: {} };
  if (was.host !== now.host) [change.before.host, change.after.host] = [was.host, now.host];
  else if (before.url !== after.url) change.after.urlChanged = true;
  if (was.events.join() !== now.events.join()) [change.before.events, change.after.events] = [was.events, now.events];
  if (before.enabled !== after.enabled) [change.before.enabled, change.after.enabled] = [before.enabled, after.enabled];
  return change;
}

export async function updateWebhook(
  ctx: WorkspaceContext,
  input: { webhookId: string; url?: string; description?: string; events?: string[]; enabled?: boolean },
): Promise<WebhookDto> {
  const current = await webhookOf(ctx, input.webhookId);
  if (input.url !== undefined) await checkWebhookUrl(input.url);
  const turnedOn = input.enabled === true;
  const row = await ctx.db.$transaction(async (tx) => {
    const updated = await updateWebhookRow(tx, input.webhookId, {
      url: input.url,
      description: input.description,
      events: input.events,
      enabled: input.enabled,
      // Turned on or off by a person: Lanes' reason and count no longer apply.
      ...(input.enabled !== undefined ? { disabledReason: null } : {}),
      ...(turnedOn ? { consecutiveFailures: 0 } : {}),
    });
    const change = webhookChange(current, updated);
    // A description edit alone is not recorded: the trail keeps no free text of webhooks.
    if (Object.keys(change.after).length > 0)
      await audit(tx, ctx, { action: "webhook.updated", entityId: updated.id, ...change });
    return updated;
  });
  return toDto(row);
}

export async function deleteWebhook(ctx: WorkspaceContext, input: { webhookId: string }): Promise<{ id: string }> {
  const current = await webhookOf(ctx, input.webhookId);
  return ctx.db.$transaction(async (tx) => {
    const deleted = await deleteWebhookRow(tx, input.webhookId);
    await audit(tx, ctx, { action: "webhook.deleted", entityId: deleted.id, before: trailFields(current) });
    return deleted;
  });
}

/** A new signing secret; the old one stops signing at once (receivers switch to the new one). */
export async function rotateWebhookSecret(
  ctx: WorkspaceContext,
  input: { webhookId: string },
): Promise<{ webhook: WebhookDto; secret: string }> {
  await webhookOf(ctx, input.webhookId);
  const secret = newSecret();
  const row = await ctx.db.$transaction(async (tx) => {
    const updated = await updateWebhookRow(tx, input.webhookId, { secretCiphertext: encryptSecret(secret) });
    await audit(tx, ctx, { action: "webhook.secret_rotated", entityId: updated.id });
    return updated;
  });
  return { webhook: toDto(row), secret };
}

function toDeliveryDto(row: Awaited<ReturnType<typeof listDeliveryRows>>[number]): WebhookDeliveryDto {
  return {
    ...row,
    attempts: row.attempts.map((a) => ({ ...a, trigger: a.trigger === "replay" ? "replay" : "automatic" })),
  };
}

export async function listDeliveries(
  ctx: WorkspaceContext,
  input: { webhookId: string; cursor?: string | null; limit: number },
): Promise<{ items: WebhookDeliveryDto[]; nextCursor: string | null }> {
  await webhookOf(ctx, input.webhookId);
  const rows = await listDeliveryRows(ctx.db, input.webhookId, decodeTimeCursor(input.cursor), input.limit + 1);
  return toPage(rows, input.limit, toDeliveryDto, encodeTimeCursor);
}

/** Sends a delivery again, now, with the same id and body (the receiver deduplicates by the id). */
export async function replayDelivery(ctx: WorkspaceContext, input: { deliveryId: string }): Promise<{ queued: true }> {
  const delivery = await findDeliveryInWorkspace(ctx.db, ctx.workspace.id, input.deliveryId);
  if (!delivery) throw AppError.notFound("Delivery");
  await enqueue(ctx.db, "webhook.replay", { deliveryId: delivery.id }, { key: `${delivery.id}:${randomUUID()}` });
  return { queued: true };
}

function listens(events: string[], type: string): boolean {
  return events.includes("*") || events.includes(type);
}

/**
 * Called with the audit events a change just recorded, in its transaction: one delivery per event
 * and matching webhook, and the job that sends it. Nothing is sent for a change that rolls back.
 */
export async function scheduleWebhookDeliveries(tx: DbTx, recorded: RecordedEvent[]): Promise<void> {
  if (recorded.length === 0) return;
  const workspaceId = recorded[0]!.workspaceId;
  const webhooks = await listEnabledWebhookEvents(tx, workspaceId);
  if (webhooks.length === 0) return;
  const rows = recorded.flatMap((event) =>
    webhooks
      .filter((w) => listens(w.events, event.action))
      .map((w) => ({ webhookId: w.id, workspaceId: event.workspaceId, eventId: event.id, eventType: event.action })),
  );
  if (rows.length === 0) return;
  const created = await createDeliveries(tx, rows);
  await enqueueAll(
    tx,
    "webhook.deliver",
    created.map(({ id }) => ({ payload: { deliveryId: id }, key: id })),
  );
}

/** The three Standard Webhooks headers for `body`, signed with `secret` (whsec_…). */
export function signDelivery(secret: string, deliveryId: string, body: string, at: Date): Record<string, string> {
  return {
    "webhook-id": deliveryId,
    "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
    "webhook-signature": new StandardWebhook(secret).sign(deliveryId, at, body),
  };
}

type Outcome = SendOutcome;

function describeFailure(error: unknown): string {
  if (error instanceof TargetRefused) return `Refused: ${error.message}`;
  if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError"))
    return `No answer within ${DELIVERY_TIMEOUT_MS / 1000} s`;
  const code = (error as { code?: unknown }).code;
  return error instanceof Error ? `${typeof code === "string" ? `${code}: ` : ""}${error.message}` : String(error);
}

async function send(url: string, headers: Record<string, string>, body: string): Promise<Outcome> {
  try {
    const result = await postJson(
      targetPolicy(),
      url,
      { "user-agent": "Lanes-Webhooks/1", ...headers },
      body,
      DELIVERY_TIMEOUT_MS,
    );
    return { status: result.status, excerpt: result.excerpt, error: null };
  } catch (error) {
    return { status: null, excerpt: null, error: describeFailure(error) };
  }
}

/** Roughly when pg-boss retries after the attempt numbered `attempt` (its delay doubles, with jitter). */
function estimatedRetryAt(attempt: number, now: Date): Date {
  return new Date(now.getTime() + RETRY_DELAY_SECONDS * 1000 * 2 ** (attempt - 1) * 0.75);
}

export class DeliveryFailed extends Error {}

/**
 * The `webhook.deliver` and `webhook.replay` jobs. Idempotent for the queue: a delivery already
 * settled is not sent again automatically. Throws DeliveryFailed when the queue should retry.
 */
export async function deliverWebhook(db: DbTx, deliveryId: string, trigger: "automatic" | "replay"): Promise<void> {
  const delivery = await findDeliveryForSending(db, deliveryId);
  if (!delivery) return; // its webhook was deleted
  if (trigger === "automatic" && delivery.status !== "PENDING") return;
  const { webhook } = delivery;
  const startedAt = new Date();
  // Settles the delivery as failed without sending (logged like any attempt).
  const notSent = (reason: string) =>
    recordAttempt(
      db,
      delivery.id,
      { trigger, startedAt, durationMs: 0, responseStatus: null, responseExcerpt: null, error: `Not sent: ${reason}` },
      { status: "FAILED", nextAttemptAt: null },
    );
  if (trigger === "automatic" && !webhook.enabled) return void (await notSent("the webhook is off"));
  const stored = delivery.payload as DomainEvent | null;
  if (!stored && !delivery.event) return void (await notSent("its event no longer exists"));
  let payload: DomainEvent | null = null;
  let outcome: Outcome;
  try {
    payload = stored ?? toDomainEvent(delivery.event!);
    const body = JSON.stringify(payload);
    const headers = signDelivery(decryptSecret(webhook.secretCiphertext), delivery.id, body, startedAt);
    outcome = await sendGuarded(webhook.id, trigger, () => send(webhook.url, headers, body));
  } catch (error) {
    // A secret no key can open (ENCRYPTION_KEYS changed), an event this version cannot publish:
    // logged as a failed attempt like any other, so the delivery still settles.
    outcome = { status: null, excerpt: null, error: `Could not prepare the request: ${describeFailure(error)}` };
  }
  const durationMs = Date.now() - startedAt.getTime();
  const ok = outcome.status !== null && outcome.status >= 200 && outcome.status < 300;
  const automatic = trigger === "automatic";
  // Replays are extra tries a person asked for: they neither use up nor end the automatic ones.
  const attempt = delivery.attemptCount + (automatic ? 1 : 0);
  const lastTry = automatic && attempt >= DELIVERY_ATTEMPTS;
  const status = ok ? "SUCCEEDED" : automatic ? (lastTry ? "FAILED" : "PENDING") : delivery.status;
  const error = outcome.error ?? (ok ? null : `HTTP ${outcome.status}`);
  await recordAttempt(
    db,
    delivery.id,
    { trigger, startedAt, durationMs, responseStatus: outcome.status, responseExcerpt: outcome.excerpt, error },
    {
      status,
      nextAttemptAt: ok || lastTry ? null : automatic ? estimatedRetryAt(attempt, startedAt) : undefined,
      automatic,
      ...(stored || !payload ? {} : { payload: payload as unknown as Prisma.InputJsonValue }),
    },
  );
  if (ok) {
    await resetFailures(db, webhook.id);
    return;
  }
  if (lastTry) {
    await countFailureAndMaybeDisable(db, delivery, error ?? "failed");
    return;
  }
  if (automatic) throw new DeliveryFailed(error ?? "failed");
}

async function countFailureAndMaybeDisable(db: DbTx, delivery: DeliveryForSending, lastError: string): Promise<void> {
  const failures = await countFailedDelivery(db, delivery.webhook.id);
  if (failures < FAILURES_TO_DISABLE) return;
  const reason = `Turned off after ${failures} deliveries in a row failed every attempt (last: ${lastError}).`;
  if (await disableFailingWebhook(db, delivery.webhook.id, reason))
    await enqueue(
      db,
      "mail.webhook_disabled",
      { webhookId: delivery.webhook.id },
      { key: `${delivery.webhook.id}:${delivery.id}` },
    );
}

/** The `mail.webhook_disabled` job: tells the webhook's creator (or, if they left, the owners). */
export async function sendWebhookDisabledEmail(db: DbTx, webhookId: string): Promise<void> {
  const webhook = await findWebhookForNotice(db, webhookId);
  if (!webhook || webhook.enabled) return; // deleted, or turned back on meanwhile
  const mail = webhookDisabledEmail({
    webhookUrl: webhook.url,
    workspaceName: webhook.workspace.name,
    reason: webhook.disabledReason ?? "",
    settingsUrl: new URL(`/w/${webhook.workspace.slug}/settings/webhooks`, env().APP_URL).toString(),
  });
  for (const to of webhook.recipients) await sendMail({ to, ...mail });
}

/** Maintenance: secrets sealed with an older key are sealed again with the current one (key rotation). */
export async function reencryptWebhookSecrets(db: DbTx, keyring: Key[] = configuredKeyring()): Promise<number> {
  const stale = await listSecretsNotSealedWith(db, currentKeyId(keyring));
  for (const row of stale) {
    const resealed = encryptSecret(decryptSecret(row.secretCiphertext, keyring), keyring);
    await resealSecret(db, row.id, row.secretCiphertext, resealed);
  }
  if (stale.length) logger.info({ count: stale.length }, "webhook secrets re-encrypted with the current key");
  return stale.length;
}
