import type { Metadata } from "next";
import Link from "next/link";
import { AuthCard } from "@/components/auth-card";
import { mailboxEnabled } from "@/server/services/mailbox";

export const metadata: Metadata = { title: "Check your email" };
// The mailbox hint depends on runtime configuration, not on the build's.
export const dynamic = "force-dynamic";

export default function CheckEmailPage() {
  return (
    <AuthCard
      title="Check your email"
      subtitle="A sign-in link is on its way. It works once and expires in 30 minutes."
    >
      {mailboxEnabled() ? (
        <p className="rounded-md bg-amber-50 p-3 text-sm text-amber-900">
          This Lanes has no mail server, so nothing leaves this machine: your link is in the{" "}
          <Link className="font-medium underline" href="/dev/mailbox">
            mailbox
          </Link>
          .
        </p>
      ) : null}
      <p className="mt-4 text-sm">
        <Link className="text-brand-600 underline" href="/signin">
          Use a different address
        </Link>
      </p>
    </AuthCard>
  );
}
