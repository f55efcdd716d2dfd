/**
 * Outgoing mail. One function, three transports chosen by MAIL_TRANSPORT:
 * - mailbox: stored in MailboxMessage and shown at /dev/mailbox (development, tests);
 * - smtp: sent through SMTP_URL with nodemailer;
 * - log: written to the log only.
 * Every message is logged (without its body) whatever the transport.
 */
import nodemailer from "nodemailer";
import type { Transporter } from "nodemailer";
import { db } from "@/server/db/client";
import { env } from "@/server/env";
import { logger } from "@/server/observability/logger";
import { createMailboxMessage } from "@/server/db/mailbox";

/** `unsubscribeUrl` becomes a List-Unsubscribe header (mail clients show an "unsubscribe" button). */
export type Mail = { to: string; subject: string; text: string; html?: string; unsubscribeUrl?: string };

let smtp: Transporter | undefined;

/**
 * nodemailer waits up to 2 min to connect and 10 min on a silent socket; a mail job would hold its
 * worker that long (past its lease: the queue would start it again meanwhile). A server this slow
 * fails the attempt, and the queue retries later.
 */
const SMTP_TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 };

/**
 * SMTP_URL with Lanes' timeouts added where it does not set its own. As URL parameters: given a URL,
 * nodemailer takes its options from the URL alone and ignores any passed beside it.
 */
export function smtpUrlWithTimeouts(smtpUrl: string): string {
  const url = new URL(smtpUrl);
  for (const [name, ms] of Object.entries(SMTP_TIMEOUTS))
    if (!url.searchParams.has(name)) url.searchParams.set(name, String(ms));
  return url.toString();
}

export async function sendMail(mail: Mail): Promise<void> {
  const config = env();
  switch (config.MAIL_TRANSPORT) {
    case "mailbox":
      await createMailboxMessage(db(), mail);
      break;
    case "smtp":
      // The environment check refuses MAIL_TRANSPORT=smtp without SMTP_URL; this only tells the type system.
      if (!config.SMTP_URL) throw new Error("SMTP_URL is required when MAIL_TRANSPORT=smtp");
      smtp ??= nodemailer.createTransport(smtpUrlWithTimeouts(config.SMTP_URL));
      await smtp.sendMail({
        from: config.MAIL_FROM,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        ...(mail.unsubscribeUrl ? { list: { unsubscribe: mail.unsubscribeUrl } } : {}),
      });
      break;
    case "log":
      break;
  }
  logger.info({ mail: { to: mail.to, subject: mail.subject, transport: config.MAIL_TRANSPORT } }, "mail sent");
}
