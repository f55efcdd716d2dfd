import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { auth, enabledProviders } from "@/server/auth/config";
import { safeCallbackPath } from "@/server/services/auth";
import { AuthCard } from "@/components/auth-card";
import { SignInForm } from "./signin-form";

export const metadata: Metadata = { title: "Sign in" };

const AUTH_ERRORS: Record<string, string> = {
  Verification: "That sign-in link has expired or was already used. Ask for a new one.",
  // The only AccessDenied Lanes raises: the sign-in email limit.
  AccessDenied: "Too many sign-in emails were requested for this address or network. Wait a few minutes and try again.",
  Configuration: "Sign-in is misconfigured on this server.",
};

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const callbackUrl = safeCallbackPath(params.callbackUrl);
  if ((await auth())?.user) redirect(callbackUrl);
  const error = typeof params.error === "string" ? (AUTH_ERRORS[params.error] ?? "Sign-in failed. Try again.") : undefined;
  return (
    <AuthCard title="Sign in to Lanes" subtitle="We will email you a link that signs you in. No password needed.">
      <SignInForm callbackUrl={callbackUrl} github={enabledProviders().github} authError={error} />
    </AuthCard>
  );
}
