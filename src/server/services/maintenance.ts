/**
 * Housekeeping: what expires is deleted on a schedule, so the tables the app reads on every
 * request (sessions) stay small and nothing sensitive lingers (sign-in tokens, invitation
 * addresses, captured mail with sign-in links).
 */
import type { Db } from "@/server/db/client";
import {
  deleteExpiredSessions,
  deleteExpiredSignInTokens,
  deleteMailboxMessagesBefore,
  deleteSpentInvitations,
  inExclusiveTransaction,
} from "@/server/db/maintenance";
import { deleteWebhookDeliveriesBefore } from "@/server/db/webhooks";
import { deleteViewersBefore } from "@/server/db/presence";
import { PRESENCE_TTL_MS } from "@/shared/schemas/presence";

const DAY_MS = 24 * 60 * 60 * 1000;

/** How long spent rows are kept. Invitations stay a while so "this invitation has expired" can still be shown. */
export const RETENTION = {
  spentInvitationsDays: 30,
  mailboxDays: 7,
  /** A webhook's delivery log (and each attempt in it). */
  webhookDeliveriesDays: 30,
} as const;

export type PurgeReport = {
  sessions: number;
  signInTokens: number;
  invitations: number;
  mailboxMessages: number;
  webhookDeliveries: number;
  /** Presence rows of tabs that closed without saying so. */
  taskViewers: number;
};

/** Deletes everything past its retention. Null when another process is purging right now. */
export async function purgeExpired(db: Db, now = new Date()): Promise<PurgeReport | null> {
  const outcome = await inExclusiveTransaction(db, "lanes:purge-expired", async (tx) => ({
    sessions: await deleteExpiredSessions(tx, now),
    signInTokens: await deleteExpiredSignInTokens(tx, now),
    invitations: await deleteSpentInvitations(tx, new Date(now.getTime() - RETENTION.spentInvitationsDays * DAY_MS)),
    mailboxMessages: await deleteMailboxMessagesBefore(tx, new Date(now.getTime() - RETENTION.mailboxDays * DAY_MS)),
    webhookDeliveries: await deleteWebhookDeliveriesBefore(
      tx,
      new Date(now.getTime() - RETENTION.webhookDeliveriesDays * DAY_MS),
    ),
    taskViewers: await deleteViewersBefore(tx, new Date(now.getTime() - PRESENCE_TTL_MS)),
  }));
  return outcome.ran ? outcome.result : null;
}
