/** The development mailbox: readable only when mail is captured rather than sent. */
import "server-only";
import { db } from "@/server/db/client";
import { listMailboxMessages } from "@/server/db/mailbox";
import { env, isLoopbackUrl } from "@/server/env";

export function mailboxEnabled(): boolean {
  const config = env();
  return config.MAIL_TRANSPORT === "mailbox" && (config.NODE_ENV !== "production" || isLoopbackUrl(config.APP_URL));
}

export async function readMailbox(to: string | undefined) {
  if (!mailboxEnabled()) return null;
  return listMailboxMessages(db(), { to, limit: 50 });
}
