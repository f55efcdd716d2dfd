/**
 * The email copy of a notification (mentions, assignments), sent by the `mail.notification` job
 * after the change that caused it committed. In-app notifications always appear; the email only if
 * the person wants that kind (User.emailOnMention / emailOnAssignment), with a link to stop it.
 *
 * Once: the job's id is the notification's, and `emailedAt` is set after sending, so a job that runs
 * again after a success sends nothing. A worker that dies between sending and recording can send a
 * second copy: at least once, never zero.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import type { Db } from "@/server/db/client";
import { env } from "@/server/env";
import {
  findEmailPreferences,
  findNotificationForEmail,
  markEmailed,
  setEmailPreference,
} from "@/server/db/notifications";
import { AppError } from "@/server/errors";
import type { EmailPreferences } from "@/shared/schemas/notification";
import type { UserContext } from "./context";
import { sendMail } from "@/server/mail/mailer";
import { notificationEmail } from "@/server/mail/templates";
import { formatTaskRef } from "@/shared/tracker";

export const EMAIL_KINDS = ["mentions", "assignments", "due-soon"] as const;
export type EmailKind = (typeof EMAIL_KINDS)[number];

function signature(userId: string, kind: EmailKind): string {
  return createHmac("sha256", env().AUTH_SECRET).update(`unsubscribe:${kind}:${userId}`).digest("base64url");
}

/** A link that turns one kind of email off for one person: signed, so it cannot be forged for another. */
export function unsubscribeUrl(userId: string, kind: EmailKind): string {
  const url = new URL("/unsubscribe", env().APP_URL);
  url.search = new URLSearchParams({ u: userId, k: kind, t: signature(userId, kind) }).toString();
  return url.toString();
}

export function verifyUnsubscribe(userId: string, kind: string, token: string): kind is EmailKind {
  if (!(EMAIL_KINDS as readonly string[]).includes(kind)) return false;
  const expected = Buffer.from(signature(userId, kind as EmailKind));
  const given = Buffer.from(token);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

export async function emailPreferences(ctx: UserContext): Promise<EmailPreferences> {
  const found = await findEmailPreferences(ctx.db, ctx.userId);
  if (!found) throw AppError.notFound("User");
  return found;
}

export async function setEmailPreferences(
  ctx: UserContext,
  input: Partial<EmailPreferences>,
): Promise<EmailPreferences> {
  await setEmailPreference(ctx.db, ctx.userId, input);
  return emailPreferences(ctx);
}

/** Turns one kind of notification email off (the unsubscribe link; idempotent). */
export async function unsubscribe(db: Db, userId: string, kind: EmailKind): Promise<void> {
  const off = {
    mentions: { emailOnMention: false },
    assignments: { emailOnAssignment: false },
    "due-soon": { emailOnDueSoon: false },
  } as const satisfies Record<EmailKind, Partial<EmailPreferences>>;
  await setEmailPreference(db, userId, off[kind]);
}

/** The `mail.notification` job: sends the notification's email unless sent already or not wanted. */
export async function sendNotificationEmail(db: Db, notificationId: string): Promise<"sent" | "skipped"> {
  const row = await findNotificationForEmail(db, notificationId);
  // Nothing about a task or comment deleted since: the trail keeps no such text either (0014).
  if (!row || row.emailedAt || !row.task || row.task.deletedAt) return "skipped";
  const kind: EmailKind | null = row.type === "MENTION" ? "mentions" : row.type === "ASSIGNED" ? "assignments" : null;
  if (!kind) return "skipped";
  const wanted = kind === "mentions" ? row.user.emailOnMention : row.user.emailOnAssignment;
  if (!wanted) return "skipped";
  const ref = formatTaskRef(row.task.project.key, row.task.number);
  await sendMail({
    to: row.user.email,
    ...notificationEmail({
      kind,
      actorName: row.actor?.name ?? row.actor?.email ?? "Someone",
      workspaceName: row.workspace.name,
      task: { ref, title: row.task.title },
      excerpt: row.comment && !row.comment.deletedAt ? row.comment.body : null,
      url: new URL(`/w/${row.workspace.slug}/tasks/${ref}`, env().APP_URL).toString(),
      unsubscribeUrl: unsubscribeUrl(row.user.id, kind),
    }),
  });
  await markEmailed(db, row.id, new Date());
  return "sent";
}
