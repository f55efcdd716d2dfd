/**
 * Data for the reads the generated data set does not hold, so `npm run bench` covers every query
 * procedure: a webhook with a long delivery history (webhook.deliveries), a pending invitation
 * whose token the benchmark knows (invitation.peek / invitation.preview), and the owner as an
 * operator of the installation (admin.jobs, through ADMIN_EMAILS). Made once per data set, except
 * the invitation, whose token exists only as a hash and so is replaced on every run.
 */
import pg from "pg";
import type { createDb } from "../src/server/db/client";
import { hashToken, newSecretToken } from "../src/server/auth/tokens";
import { encryptSecret } from "../src/server/crypto/secrets";

type Db = ReturnType<typeof createDb>;

const HOOK_URL = "https://bench.invalid/webhook";
const INVITEE = "bench-invitee@bench.invalid";
/** Deliveries on the bench webhook: a busy receiver's few weeks, one attempt each. */
export const DELIVERIES = 20_000;

export type RareReads = { webhookId: string; invitationToken: string };

/**
 * Makes the bench workspace's owner an operator (ADMIN_EMAILS) of this process and of the servers it
 * starts. Called before anything reads the configuration, which is parsed once per process.
 */
export async function makeOwnerOperator(databaseUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ email: string }>(
      `SELECT u.email FROM "User" u JOIN "Membership" m ON m."userId" = u.id JOIN "Workspace" w ON w.id = m."workspaceId"
        WHERE w.slug = 'bench' AND m.role = 'OWNER' LIMIT 1`,
    );
    if (rows[0]) process.env.ADMIN_EMAILS = [process.env.ADMIN_EMAILS, rows[0].email].filter(Boolean).join(",");
  } finally {
    await client.end();
  }
}

/** The webhook (turned off, so the benchmark's writes do not add deliveries), made with its history once. */
async function benchWebhook(db: Db, workspaceId: string, ownerId: string): Promise<string> {
  const existing = await db.webhook.findFirst({ where: { workspaceId, url: HOOK_URL }, select: { id: true } });
  if (existing) return existing.id;
  const hook = await db.webhook.create({
    data: {
      workspaceId,
      url: HOOK_URL,
      description: "Benchmark fixture: delivery history only",
      events: ["*"],
      secretCiphertext: encryptSecret(`whsec_${newSecretToken()}`),
      enabled: false,
      createdById: ownerId,
    },
    select: { id: true },
  });
  await db.$executeRaw`
    INSERT INTO "WebhookDelivery" (id, "webhookId", "workspaceId", "eventType", payload, status, "attemptCount",
                                   "lastAttemptAt", "createdAt")
    SELECT 'bench-delivery-' || g, ${hook.id}, ${workspaceId}, 'task.updated', jsonb_build_object('sequence', g),
           'SUCCEEDED', 1, now() - g * interval '1 minute', now() - g * interval '1 minute'
      FROM generate_series(1, ${DELIVERIES}) g`;
  await db.$executeRaw`
    INSERT INTO "WebhookAttempt" (id, "deliveryId", trigger, "startedAt", "durationMs", "responseStatus")
    SELECT 'bench-attempt-' || g, 'bench-delivery-' || g, 'automatic', now() - g * interval '1 minute', 40, 200
      FROM generate_series(1, ${DELIVERIES}) g`;
  return hook.id;
}

/** A fresh pending invitation to a made-up address, and its token. */
async function benchInvitation(db: Db, workspaceId: string, ownerId: string): Promise<string> {
  const token = newSecretToken();
  await db.invitation.deleteMany({ where: { workspaceId, email: INVITEE } });
  await db.invitation.create({
    data: {
      workspaceId,
      email: INVITEE,
      role: "MEMBER",
      tokenHash: hashToken(token),
      invitedById: ownerId,
      expiresAt: new Date(Date.now() + 7 * 86_400_000),
      emailedAt: new Date(),
    },
  });
  return token;
}

export async function prepareRareReads(db: Db, workspaceId: string, ownerId: string): Promise<RareReads> {
  return {
    webhookId: await benchWebhook(db, workspaceId, ownerId),
    invitationToken: await benchInvitation(db, workspaceId, ownerId),
  };
}
