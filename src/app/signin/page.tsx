import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { auth, enabledProviders } from "@/server/auth/config";
import { safeCallbackPath } from "@/server/services/auth";
import { serverCaller } from "@/trpc/server";
import { AuthCard } from "@/components/auth-card";
import type { InvitationPeek } from "@/shared/schemas/workspace";
import { SignInForm } from "./signin-form";

export const metadata: Metadata = { title: "Sign in" };

const AUTH_ERRORS: Record<string, string> = {
  Verification: "That sign-in link has expired or was already used. Ask for a new one.",
  // Raised by the email provider: the sign-in email limit, or the sign-up policy (SIGNUP_POLICY).
  AccessDenied:
    "We could not send a sign-in link: too many were requested for this address or network, or this server does not accept new accounts from it.",
  EmailUnverified: "Your GitHub account has no verified email address. Verify one on GitHub, then try again.",
  SignupClosed: "This server does not accept new accounts from that address. Ask a workspace admin to invite you.",
  Configuration: "Sign-in is misconfigured on this server.",
};

const INVITE_PATH = /^\/invite\/([A-Za-z0-9_-]{20,128})$/;

/**
 * Arriving from an invitation link (/invite/<token> sends signed-out visitors
 * here with it as the callback): which workspace it is for and the invited
 * address, looked up by the token. Only someone holding the secret link sees the
 * address, and it is the one that link was mailed to (see invitation.peek).
 */
async function invitationFor(callbackPath: string): Promise<InvitationPeek | null> {
  const token = INVITE_PATH.exec(callbackPath)?.[1];
  if (!token) return null;
  return (await serverCaller()).invitation.peek({ token }).catch(() => null);
}

const ENDED: Record<Exclude<InvitationPeek["status"], "pending">, string> = {
  accepted: "has already been used",
  expired: "has expired",
  revoked: "was withdrawn",
};

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  const callbackUrl = safeCallbackPath(params.callbackUrl);
  if ((await auth())?.user) redirect(callbackUrl);
  const error =
    typeof params.error === "string" ? (AUTH_ERRORS[params.error] ?? "Sign-in failed. Try again.") : undefined;
  const invitation = await invitationFor(callbackUrl);
  if (invitation?.status === "pending") {
    return (
      <AuthCard
        title={`Sign in to accept your invitation to ${invitation.workspaceName}`}
        subtitle="We will email you a link that signs you in, then you can join. Use the address the invitation was sent to."
      >
        <SignInForm
          callbackUrl={callbackUrl}
          github={enabledProviders().github}
          authError={error}
          defaultEmail={invitation.email}
        />
      </AuthCard>
    );
  }
  return (
    <AuthCard title="Sign in to Lanes" subtitle="We will email you a link that signs you in. No password needed.">
      {invitation ? (
        <p role="status" className="mb-4 rounded-md bg-amber-50 p-2 text-sm text-amber-900">
          Your invitation to {invitation.workspaceName} {ENDED[invitation.status]}. Ask an admin there for a new one;
          you can still sign in.
        </p>
      ) : null}
      <SignInForm callbackUrl={callbackUrl} github={enabledProviders().github} authError={error} />
    </AuthCard>
  );
}
