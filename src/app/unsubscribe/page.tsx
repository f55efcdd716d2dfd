import type { Metadata } from "next";
import Link from "next/link";
import { AuthCard } from "@/components/auth-card";
import { Button } from "@/components/ui/button";
import { verifyUnsubscribe } from "@/server/services/notification-email";
import { confirmUnsubscribe } from "./actions";

export const metadata: Metadata = { title: "Email notifications" };

type Params = Promise<Record<string, string | string[] | undefined>>;

const KIND_WORDS: Record<string, string> = {
  mentions: "when someone @mentions you",
  assignments: "when a task is assigned to you",
  "due-soon": "listing your tasks that are due soon",
};

/**
 * The link in every notification email. Opening it changes nothing (mail scanners open links);
 * the button does. In-app notifications stay on.
 */
export default async function UnsubscribePage({ searchParams }: { searchParams: Params }) {
  const params = await searchParams;
  const one = (name: string) => (typeof params[name] === "string" ? params[name] : "");
  const done = one("done");
  if (Object.hasOwn(KIND_WORDS, done))
    return (
      <AuthCard title="Done" subtitle={`You will no longer get emails ${KIND_WORDS[done]}.`}>
        <p className="text-sm text-zinc-600">You still see these notifications in Lanes.</p>
      </AuthCard>
    );
  const [u, k, t] = [one("u"), one("k"), one("t")];
  if (!verifyUnsubscribe(u, k, t))
    return (
      <AuthCard title="This link does not work" subtitle="It may be incomplete. Use the link from a recent email.">
        <Link href="/" className="text-sm text-brand-600 underline">
          Go to Lanes
        </Link>
      </AuthCard>
    );
  return (
    <AuthCard title="Stop these emails?" subtitle={`Emails ${KIND_WORDS[k]} will stop. In-app notifications stay on.`}>
      <form action={confirmUnsubscribe}>
        <input type="hidden" name="u" value={u} />
        <input type="hidden" name="k" value={k} />
        <input type="hidden" name="t" value={t} />
        <Button type="submit">Stop emails {KIND_WORDS[k]}</Button>
      </form>
    </AuthCard>
  );
}
