/** The development mailbox: readable only when mail is captured rather than sent. */
import { db } from "@/server/db/client";
import { listMailboxMessages } from "@/server/db/mailbox";
import { env } from "@/server/env";

export function mailboxEnabled(): boolean {
  const config = env();
  return config.NODE_ENV !== "production" && config.MAIL_TRANSPORT === "mailbox";
}

export async function readMailbox(to: string | undefined) {
  if (!mailboxEnabled()) return null;
  return listMailboxMessages(db(), { to, limit: 50 });
}
