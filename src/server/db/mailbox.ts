import type { DbTx } from "./client";

const mailboxSelect = { id: true, to: true, subject: true, text: true, html: true, createdAt: true } as const;

export function createMailboxMessage(db: DbTx, mail: { to: string; subject: string; text: string; html?: string }) {
  return db.mailboxMessage.create({
    data: { to: mail.to.toLowerCase(), subject: mail.subject, text: mail.text, html: mail.html ?? null },
    select: { id: true },
  });
}

/** Newest first; optionally only one recipient's mail. */
export function listMailboxMessages(db: DbTx, options: { to?: string; limit: number }) {
  return db.mailboxMessage.findMany({
    where: options.to ? { to: options.to.toLowerCase() } : {},
    orderBy: { createdAt: "desc" },
    take: options.limit,
    select: mailboxSelect,
  });
}
