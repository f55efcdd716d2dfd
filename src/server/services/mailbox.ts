/** The development mailbox: readable only when mail is captured rather than sent. */
import { db } from "@/server/db/client";
import { listMailboxMessages } from "@/server/db/mailbox";
import { env } from "@/server/env";

export function mailboxEnabled(): boolean {
  const config = env();
  return config.MAIL_TRANSPORT === "mailbox" && (config.NODE_ENV !== "production" || config.ALLOW_MAILBOX_IN_PRODUCTION);
}

export async function readMailbox(to: string | undefined) {
  if (!mailboxEnabled()) return null;
  return listMailboxMessages(db(), { to, limit: 50 });
}
