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
import { CircuitBreaker } from "@/server/http/circuit-breaker";

/** `unsubscribeUrl` becomes a List-Unsubscribe header (mail clients show an "unsubscribe" button). */
export type Mail = { to: string; subject: string; text: string; html?: string; unsubscribeUrl?: string };

let smtp: Transporter | undefined;

/**
 * Five failed sends in a row stop sending for 30 s: each mail job then fails at once and the queue
 * retries it later, instead of every job waiting out a connection timeout against a dead server.
 */
export const smtpBreaker = new CircuitBreaker("SMTP", {
  threshold: 5,
  openMs: 30_000,
  onOpen: (error) => logger.warn({ err: error }, "SMTP keeps failing: pausing sends for 30 s (jobs retry later)"),
});

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

/** Drops the SMTP transport so the next send makes one from the current SMTP_URL (tests). */
export function resetSmtpTransport(): void {
  smtp?.close();
  smtp = undefined;
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
      const transport = (smtp ??= nodemailer.createTransport(smtpUrlWithTimeouts(config.SMTP_URL)));
      await smtpBreaker.run(() =>
        transport.sendMail({
          from: config.MAIL_FROM,
          to: mail.to,
          subject: mail.subject,
          text: mail.text,
          html: mail.html,
          ...(mail.unsubscribeUrl ? { list: { unsubscribe: mail.unsubscribeUrl } } : {}),
        }),
      );
      break;
    case "log":
      break;
  }
  logger.info({ mail: { to: mail.to, subject: mail.subject, transport: config.MAIL_TRANSPORT } }, "mail sent");
}
