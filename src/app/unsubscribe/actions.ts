"use server";
import { redirect } from "next/navigation";
import { db } from "@/server/db/client";
import { unsubscribe, verifyUnsubscribe } from "@/server/services/notification-email";

/** The confirm button of /unsubscribe: turns that kind of email off for the signed link's person. */
export async function confirmUnsubscribe(form: FormData): Promise<void> {
  const [u, k, t] = ["u", "k", "t"].map((name) => {
    const value = form.get(name);
    return typeof value === "string" ? value : "";
  }) as [string, string, string];
  if (!verifyUnsubscribe(u, k, t)) redirect("/unsubscribe?invalid=1");
  await unsubscribe(db(), u, k);
  redirect(`/unsubscribe?done=${k}`);
}
