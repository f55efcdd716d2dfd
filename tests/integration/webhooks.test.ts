/**
 * Webhooks on real PostgreSQL and a real HTTP receiver on this machine (allow-listed, as a private
 * address must be): deliveries are enqueued with the change that causes them, signed as Standard
 * Webhooks specifies (verified with the `standardwebhooks` package), retried until the receiver
 * answers, logged attempt by attempt, replayable, and a webhook that keeps failing is turned off and
 * its creator told. The queue's handler is called directly, as the worker would.
 */
process.env.WEBHOOK_ALLOWED_TARGETS = "127.0.0.1";
process.env.RATE_LIMIT_DISABLED = "true";

import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Webhook as StandardWebhook } from "standardwebhooks";
import { testDb } from "../setup/file-db";
import { addMember, callerFor, makeProject, makeTask, makeWorkspace, type TestWorkspace } from "../helpers/factories";
import { expectApiError } from "../helpers/errors";
import { jobIdFor } from "@/server/jobs/queue";
import {
  DeliveryFailed,
  deliverWebhook,
  reencryptWebhookSecrets,
  sendWebhookDisabledEmail,
} from "@/server/services/webhooks";
import { DELIVERY_ATTEMPTS, FAILURES_TO_DISABLE, RECEIVER_FAILURES_TO_PAUSE } from "@/server/services/webhook-policy";
import { domainEventSchema } from "@/shared/schemas/events";
import type { webhookEventSchema } from "@/shared/schemas/webhook";
import type { z } from "zod";

type WebhookEvent = z.infer<typeof webhookEventSchema>;
import { configuredKeyring, currentKeyId, decryptSecret, encryptSecret } from "@/server/crypto/secrets";
import { parseEncryptionKeys } from "@/server/crypto/keys";

type Received = { headers: IncomingHttpHeaders; body: string };
let receiver: Server;
let receiverUrl = "";
const received: Received[] = [];
let answerWith = 200;

beforeAll(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      res.writeHead(answerWith, { "content-type": "text/plain" }).end(answerWith < 300 ? "thanks" : "receiver broke");
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
});

afterAll(() => new Promise<void>((resolve) => receiver.close(() => resolve())));

async function withWebhook(events: WebhookEvent[] = ["*"]) {
  const ws = await makeWorkspace();
  const project = await makeProject(ws, "HOOK");
  const created = await callerFor(ws.owner).webhook.create({ workspaceSlug: ws.slug, url: receiverUrl, events });
  return { ws, project, webhook: created.webhook, secret: created.secret };
}

async function deliveriesOf(webhookId: string) {
  return testDb().webhookDelivery.findMany({ where: { webhookId }, orderBy: { createdAt: "asc" } });
}

async function runUntilSettled(deliveryId: string, trigger: "automatic" | "replay" = "automatic") {
  try {
    await deliverWebhook(testDb(), deliveryId, trigger);
    return "settled";
  } catch (error) {
    if (error instanceof DeliveryFailed) return "retry";
    throw error;
  }
}

function verify(secret: string, message: Received) {
  return new StandardWebhook(secret).verify(message.body, {
    "webhook-id": String(message.headers["webhook-id"]),
    "webhook-timestamp": String(message.headers["webhook-timestamp"]),
    "webhook-signature": String(message.headers["webhook-signature"]),
  });
}

describe("webhooks", () => {
  it("delivers a change, signed: the receiver verifies it with the secret shown once", async () => {
    const { ws, project, webhook, secret } = await withWebhook(["task.created"]);
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const stored = await testDb().webhook.findUniqueOrThrow({ where: { id: webhook.id } });
    expect(stored.secretCiphertext).not.toContain(secret.slice(6, 20));
    expect(decryptSecret(stored.secretCiphertext)).toBe(secret);

    const task = await makeTask(ws, project.id, { title: "Hooked" });
    const [delivery] = await deliveriesOf(webhook.id);
    expect(delivery).toMatchObject({ eventType: "task.created", status: "PENDING" });
    // The job was enqueued with the change, keyed by the delivery.
    const jobs = await testDb().$queryRaw<{ state: string }[]>`
      SELECT state::text FROM pgboss.job WHERE id = ${jobIdFor("webhook.deliver", delivery!.id)}::uuid`;
    expect(jobs).toEqual([{ state: "created" }]);

    received.length = 0;
    expect(await runUntilSettled(delivery!.id)).toBe("settled");
    expect(received).toHaveLength(1);
    const payload = domainEventSchema.parse(verify(secret, received[0]!));
    expect(payload).toMatchObject({
      type: "task.created",
      data: { workspace: { id: ws.id, slug: ws.slug }, task: { id: task.id, ref: `HOOK-${task.number}` } },
    });
    expect(received[0]!.headers["webhook-id"]).toBe(delivery!.id);
    // A tampered body fails verification.
    expect(() => verify(secret, { ...received[0]!, body: received[0]!.body.replace("Hooked", "Hacked") })).toThrow();

    const page = await callerFor(ws.owner).webhook.deliveries({ workspaceSlug: ws.slug, webhookId: webhook.id });
    expect(page.items[0]).toMatchObject({ status: "SUCCEEDED", attemptCount: 1 });
    expect(page.items[0]!.attempts[0]).toMatchObject({
      trigger: "automatic",
      responseStatus: 200,
      responseExcerpt: "thanks",
      error: null,
    });
    // Only the chosen event types: an update is not delivered.
    await callerFor(ws.owner).task.update({
      workspaceSlug: ws.slug,
      taskId: task.id,
      version: task.version,
      patch: { title: "x" },
    });
    expect(await deliveriesOf(webhook.id)).toHaveLength(1);
  });

  it("enqueues nothing for a change that rolls back", async () => {
    const { ws, project, webhook } = await withWebhook();
    // A webhook hearing "*" hears of its own creation first (like a ping); nothing after that.
    expect((await deliveriesOf(webhook.id)).map((d) => d.eventType)).toEqual(["webhook.created"]);
    await expectApiError(
      callerFor(ws.owner).task.create({ workspaceSlug: ws.slug, projectId: project.id, title: "" }),
      "BAD_REQUEST",
    );
    expect(await deliveriesOf(webhook.id)).toHaveLength(1);
  });

  it("retries while the receiver fails, logs every attempt, and succeeds when it comes back", async () => {
    const { ws, project, webhook } = await withWebhook(["task.created"]);
    await makeTask(ws, project.id);
    const [delivery] = await deliveriesOf(webhook.id);
    answerWith = 503;
    expect(await runUntilSettled(delivery!.id)).toBe("retry");
    expect(await runUntilSettled(delivery!.id)).toBe("retry");
    // A replay that fails too leaves the queue's retries alone: still pending, still 2 of 13 used.
    await runUntilSettled(delivery!.id, "replay");
    expect(await testDb().webhookDelivery.findUniqueOrThrow({ where: { id: delivery!.id } })).toMatchObject({
      status: "PENDING",
      attemptCount: 2,
    });
    answerWith = 200;
    expect(await runUntilSettled(delivery!.id)).toBe("settled");
    const [log] = (await callerFor(ws.owner).webhook.deliveries({ workspaceSlug: ws.slug, webhookId: webhook.id }))
      .items;
    expect(log!.status).toBe("SUCCEEDED");
    expect(log!.attempts.map((a) => a.responseStatus)).toEqual([503, 503, 503, 200]);
    expect(log!.attempts.map((a) => a.trigger)).toEqual(["automatic", "automatic", "replay", "automatic"]);
    expect(log!.attempts[0]).toMatchObject({ error: "HTTP 503", responseExcerpt: "receiver broke" });
    expect(log!.attempts.every((a) => a.durationMs >= 0)).toBe(true);
  });

  it("replays a delivery with the same id and body", async () => {
    const { ws, project, webhook, secret } = await withWebhook(["task.created"]);
    await makeTask(ws, project.id);
    const [delivery] = await deliveriesOf(webhook.id);
    received.length = 0;
    await runUntilSettled(delivery!.id);
    expect(await callerFor(ws.owner).webhook.replay({ workspaceSlug: ws.slug, deliveryId: delivery!.id })).toEqual({
      queued: true,
    });
    await runUntilSettled(delivery!.id, "replay");
    expect(received).toHaveLength(2);
    expect(received[1]!.headers["webhook-id"]).toBe(received[0]!.headers["webhook-id"]);
    expect(verify(secret, received[1]!)).toEqual(verify(secret, received[0]!));
    const [log] = (await callerFor(ws.owner).webhook.deliveries({ workspaceSlug: ws.slug, webhookId: webhook.id }))
      .items;
    expect(log!.attempts.map((a) => a.trigger)).toEqual(["automatic", "replay"]);
    // The automatic job, run again (a retried job), does not send a settled delivery twice.
    await runUntilSettled(delivery!.id);
    expect(received).toHaveLength(2);
  });

  it("stops sending to a receiver that keeps failing for a while (its breaker), logging the attempts as not sent", async () => {
    const { ws, project, webhook } = await withWebhook(["task.created"]);
    answerWith = 502;
    try {
      for (let i = 0; i < RECEIVER_FAILURES_TO_PAUSE + 2; i++) await makeTask(ws, project.id);
      const deliveries = await deliveriesOf(webhook.id);
      received.length = 0;
      for (const delivery of deliveries) expect(await runUntilSettled(delivery.id)).toBe("retry");
      // Five sends reached the receiver; the next two were not attempted, and the queue retries them later.
      expect(received).toHaveLength(RECEIVER_FAILURES_TO_PAUSE);
      const log = await callerFor(ws.owner).webhook.deliveries({ workspaceSlug: ws.slug, webhookId: webhook.id });
      const errors = log.items.flatMap((d) => d.attempts.map((a) => a.error));
      expect(errors.filter((e) => e === "HTTP 502")).toHaveLength(RECEIVER_FAILURES_TO_PAUSE);
      expect(
        errors.filter((e) => e?.startsWith("Not sent: the receiver failed 5 times in a row (last: HTTP 502)")),
      ).toHaveLength(2);
      // A replay is a person asking: it is sent whatever the breaker says.
      await runUntilSettled(deliveries.at(-1)!.id, "replay");
      expect(received).toHaveLength(RECEIVER_FAILURES_TO_PAUSE + 1);
    } finally {
      answerWith = 200;
    }
  });

  it("turns off a webhook whose deliveries keep failing, and tells its creator", async () => {
    const { ws, project, webhook } = await withWebhook(["task.created"]);
    answerWith = 500;
    try {
      for (let i = 0; i < FAILURES_TO_DISABLE; i++) {
        await makeTask(ws, project.id);
        const deliveries = await deliveriesOf(webhook.id);
        const id = deliveries.at(-1)!.id;
        for (let attempt = 1; attempt < DELIVERY_ATTEMPTS; attempt++) expect(await runUntilSettled(id)).toBe("retry");
        expect(await runUntilSettled(id)).toBe("settled");
      }
    } finally {
      answerWith = 200;
    }
    const [listed] = await callerFor(ws.owner).webhook.list({ workspaceSlug: ws.slug });
    expect(listed).toMatchObject({ enabled: false, consecutiveFailures: FAILURES_TO_DISABLE });
    expect(listed!.disabledReason).toMatch(/5 deliveries in a row failed .*HTTP 500/);
    await sendWebhookDisabledEmail(testDb(), webhook.id);
    const mail = await testDb().mailboxMessage.findFirstOrThrow({
      where: { to: ws.owner.email, subject: { contains: "Webhook turned off" } },
    });
    expect(mail.text).toContain(receiverUrl);
    // Off: new changes are not delivered; turned on again, its count starts afresh.
    await makeTask(ws, project.id);
    expect(await deliveriesOf(webhook.id)).toHaveLength(FAILURES_TO_DISABLE);
    const on = await callerFor(ws.owner).webhook.update({
      workspaceSlug: ws.slug,
      webhookId: webhook.id,
      enabled: true,
    });
    expect(on).toMatchObject({ enabled: true, consecutiveFailures: 0, disabledReason: null });
  }, 60_000);

  it("refuses private targets that are not allow-listed, and bad URLs", async () => {
    const ws = await makeWorkspace();
    const owner = callerFor(ws.owner);
    for (const url of [
      "http://10.0.0.5/hook",
      "http://169.254.169.254/latest/meta-data",
      "http://[::1]:8080/",
      "http://127.0.0.2:9/", // loopback, but not the allow-listed 127.0.0.1
    ])
      await expectApiError(owner.webhook.create({ workspaceSlug: ws.slug, url, events: ["*"] }), "BAD_REQUEST");
    for (const url of ["ftp://example.com/x", "not a url", "https://user:pw@example.com/"])
      await expectApiError(owner.webhook.create({ workspaceSlug: ws.slug, url, events: ["*"] }), "BAD_REQUEST");
    await expectApiError(owner.webhook.create({ workspaceSlug: ws.slug, url: receiverUrl, events: [] }), "BAD_REQUEST");
    await expectApiError(
      owner.webhook.create({ workspaceSlug: ws.slug, url: receiverUrl, events: ["task.teleported"] as never }),
      "BAD_REQUEST",
    );
  });

  it("records who added, changed, re-keyed and removed a webhook in the trail, with the host and never the URL", async () => {
    const ws = await makeWorkspace();
    const admin = await addMember(ws, "ADMIN");
    const viewer = await addMember(ws, "VIEWER");
    const secretUrl = `${receiverUrl}?token=sekrit-in-the-url`;
    const { webhook } = await callerFor(admin).webhook.create({
      workspaceSlug: ws.slug,
      url: secretUrl,
      events: ["*"],
    });
    const owner = callerFor(ws.owner);
    await owner.webhook.update({ workspaceSlug: ws.slug, webhookId: webhook.id, events: ["task.created"] });
    await owner.webhook.update({ workspaceSlug: ws.slug, webhookId: webhook.id, description: "just words" });
    // Same host, another path or token: recorded as a move, still without the URL.
    await owner.webhook.update({
      workspaceSlug: ws.slug,
      webhookId: webhook.id,
      url: `${receiverUrl}?token=other-sekrit`,
    });
    await owner.webhook.update({ workspaceSlug: ws.slug, webhookId: webhook.id, enabled: false });
    await owner.webhook.rotateSecret({ workspaceSlug: ws.slug, webhookId: webhook.id });
    await owner.webhook.delete({ workspaceSlug: ws.slug, webhookId: webhook.id });

    const stored = await testDb().activityEvent.findMany({
      where: { workspaceId: ws.id, entityType: "webhook" },
      orderBy: { seq: "asc" },
      select: { action: true, actorId: true, entityId: true, before: true, after: true },
    });
    const host = new URL(receiverUrl).host;
    expect(stored).toEqual([
      {
        action: "webhook.created",
        actorId: admin.id,
        entityId: webhook.id,
        before: null,
        after: { host, events: ["*"] },
      },
      {
        action: "webhook.updated",
        actorId: ws.owner.id,
        entityId: webhook.id,
        before: { events: ["*"] },
        after: { events: ["task.created"] },
      },
      // The description-only edit is not there: no free text in the trail.
      {
        action: "webhook.updated",
        actorId: ws.owner.id,
        entityId: webhook.id,
        before: {},
        after: { urlChanged: true },
      },
      {
        action: "webhook.updated",
        actorId: ws.owner.id,
        entityId: webhook.id,
        before: { enabled: true },
        after: { enabled: false },
      },
      { action: "webhook.secret_rotated", actorId: ws.owner.id, entityId: webhook.id, before: null, after: null },
      {
        action: "webhook.deleted",
        actorId: ws.owner.id,
        entityId: webhook.id,
        before: { host, events: ["task.created"] },
        after: null,
      },
    ]);
    expect(JSON.stringify(stored)).not.toContain("sekrit");
    // Everyone in the workspace sees that it happened (the feed is the workspace's); only those who
    // may see webhooks see where it points.
    const hostsSeenBy = async (reader: typeof viewer) => {
      const feed = await callerFor(reader).activity.feed({ workspaceSlug: ws.slug });
      return feed.items.flatMap((e) =>
        e.action === "webhook.created" ? [e.after?.host] : e.action === "webhook.deleted" ? [e.before?.host] : [],
      );
    };
    expect(await hostsSeenBy(viewer)).toEqual([null, null]);
    expect(await hostsSeenBy(admin)).toEqual([host, host]);
    const viewersFeed = await callerFor(viewer).activity.feed({ workspaceSlug: ws.slug });
    expect(viewersFeed.items.filter((e) => e.entityType === "webhook").map((e) => e.action)).toEqual([
      "webhook.deleted",
      "webhook.secret_rotated",
      "webhook.updated",
      "webhook.updated",
      "webhook.updated",
      "webhook.created",
    ]);
  });

  it("keeps webhooks and deliveries inside their workspace, and away from members", async () => {
    const { ws, project, webhook } = await withWebhook();
    await makeTask(ws, project.id);
    const [delivery] = await deliveriesOf(webhook.id);
    const other: TestWorkspace = await makeWorkspace();
    const otherOwner = callerFor(other.owner);
    await expectApiError(
      otherOwner.webhook.deliveries({ workspaceSlug: other.slug, webhookId: webhook.id }),
      "NOT_FOUND",
    );
    await expectApiError(
      otherOwner.webhook.replay({ workspaceSlug: other.slug, deliveryId: delivery!.id }),
      "NOT_FOUND",
    );
    await expectApiError(
      otherOwner.webhook.update({ workspaceSlug: other.slug, webhookId: webhook.id, enabled: false }),
      "NOT_FOUND",
    );
    await expectApiError(otherOwner.webhook.delete({ workspaceSlug: other.slug, webhookId: webhook.id }), "NOT_FOUND");
    const member = await addMember(ws, "MEMBER");
    await expectApiError(callerFor(member).webhook.list({ workspaceSlug: ws.slug }), "FORBIDDEN");
    // Rotation: a new secret, and the old one no longer verifies.
    const rotated = await callerFor(ws.owner).webhook.rotateSecret({ workspaceSlug: ws.slug, webhookId: webhook.id });
    expect(rotated.secret).toMatch(/^whsec_/);
    const stored = await testDb().webhook.findUniqueOrThrow({ where: { id: webhook.id } });
    expect(decryptSecret(stored.secretCiphertext)).toBe(rotated.secret);
    await callerFor(ws.owner).webhook.delete({ workspaceSlug: ws.slug, webhookId: webhook.id });
    expect(await deliveriesOf(webhook.id)).toHaveLength(0);
  });
});

describe("stored secrets", () => {
  it("decrypt with any listed key, encrypt with the first (named in the sealed form)", () => {
    const oldRing = parseEncryptionKeys(`k1:${Buffer.alloc(32, 1).toString("base64")}`);
    const newRing = parseEncryptionKeys(
      `k2:${Buffer.alloc(32, 2).toString("base64")},k1:${Buffer.alloc(32, 1).toString("base64")}`,
    );
    const sealed = encryptSecret("whsec_abc", oldRing);
    expect(decryptSecret(sealed, newRing)).toBe("whsec_abc");
    // Sealed under k1; the maintenance job re-seals what is not under the current key, k2.
    expect(sealed.startsWith("k1.")).toBe(true);
    expect(currentKeyId(newRing)).toBe("k2");
    expect(encryptSecret("whsec_abc", newRing).startsWith("k2.")).toBe(true);
    expect(() => decryptSecret(sealed, parseEncryptionKeys(`k2:${Buffer.alloc(32, 2).toString("base64")}`))).toThrow(
      /k1/,
    );
    // One bit of the ciphertext flipped: GCM's tag refuses it.
    const parts = sealed.split(".");
    const body = Buffer.from(parts[3]!, "base64url");
    body[0] = body[0]! ^ 1;
    const tampered = [...parts.slice(0, 3), body.toString("base64url")].join(".");
    expect(() => decryptSecret(tampered, oldRing)).toThrow();
    expect(() => parseEncryptionKeys("k1:short")).toThrow(/32 bytes/);
    expect(() => parseEncryptionKeys("")).toThrow(/no key/);
  });

  it("after a key rotation, the maintenance pass re-seals every webhook secret with the new key, once", async () => {
    const { webhook, secret } = await withWebhook();
    const rotated = [{ id: "rotated", key: Buffer.alloc(32, 7) }, ...configuredKeyring()];
    expect(await reencryptWebhookSecrets(testDb(), rotated)).toBeGreaterThanOrEqual(1);
    const stored = await testDb().webhook.findUniqueOrThrow({ where: { id: webhook.id } });
    expect(stored.secretCiphertext.startsWith("rotated.")).toBe(true);
    // The new key alone reads it: the old one can be removed.
    expect(decryptSecret(stored.secretCiphertext, [rotated[0]!])).toBe(secret);
    expect(await reencryptWebhookSecrets(testDb(), rotated)).toBe(0);
    // Back under the configured key, for the tests that follow.
    await reencryptWebhookSecrets(testDb(), [...configuredKeyring(), rotated[0]!]);
  });
});
