/** Sign-in rules that sit in front of Auth.js. */
import { AppError } from "@/server/errors";
import { env } from "@/server/env";
import type { DbTx } from "@/server/db/client";
import { findUserByEmail } from "@/server/db/users";
import { hasPendingInvitation } from "@/server/db/invitations";
import { enforceLimits } from "@/server/ratelimit/limiter";
import { addressBucket } from "@/server/http/client-ip";

/** At most a few sign-in emails per address and per IP, so the form cannot be used to spam. */
export async function assertMaySendSignInEmail(email: string, ip: string): Promise<void> {
  // The sender's own budget first: a key naming someone else (their address) is only spent by
  // requests the sender was allowed to make, so one network cannot lock a person out alone.
  await enforceLimits(
    [
      { policy: "signInEmail", key: `ip:${addressBucket(ip)}` },
      { policy: "signInEmail", key: `email:${email}` },
    ],
    "Too many sign-in emails. Wait a few minutes and try again.",
  );
}

const SAME_SITE = "http://lanes.invalid";

/**
 * Only same-site paths are allowed after sign-in (no open redirects). Parsed the way a
 * browser parses it, so tricks like "/\t/evil.com" or "/\\evil.com" cannot leave the site.
 */
export function safeCallbackPath(value: unknown): string {
  if (typeof value !== "string" || !value.startsWith("/") || value.length > 512) return "/";
  let url: URL;
  try {
    url = new URL(value, SAME_SITE);
  } catch {
    return "/";
  }
  return url.origin === SAME_SITE ? `${url.pathname}${url.search}${url.hash}` : "/";
}

export type SignupPolicy = { policy: "open" | "invite-only" | "domains"; allowedDomains: readonly string[] };

/** Whether the policy alone lets this address create an account (invitations aside). */
export function policyAdmits(signup: SignupPolicy, email: string): boolean {
  if (signup.policy === "open") return true;
  if (signup.policy === "invite-only") return false;
  const domain = email.toLowerCase().split("@").pop() ?? "";
  return signup.allowedDomains.includes(domain);
}

function refusalFor(signup: SignupPolicy): string {
  return signup.policy === "domains"
    ? `This Lanes accepts new accounts for ${signup.allowedDomains.join(", ")} addresses, or by invitation.`
    : "This Lanes accepts new accounts by invitation only. Ask a workspace admin to invite you.";
}

/**
 * SIGNUP_POLICY: people with an account always sign in; a new address needs the policy's consent
 * or a pending invitation (so "invite-only" still lets invitees in).
 */
export async function assertMaySignIn(
  db: DbTx,
  email: string,
  signup: SignupPolicy = signupPolicyFromEnv(),
): Promise<void> {
  if (policyAdmits(signup, email)) return;
  if (await findUserByEmail(db, email)) return;
  if (await hasPendingInvitation(db, email, new Date())) return;
  throw AppError.forbidden(refusalFor(signup));
}

export function signupPolicyFromEnv(): SignupPolicy {
  const config = env();
  return { policy: config.SIGNUP_POLICY, allowedDomains: config.SIGNUP_ALLOWED_DOMAINS };
}

/** Where Auth.js's signIn callback is called from. */
export type SignInStep = "email-request" | "email-link" | "oauth";

/**
 * The signIn callback's answer: true, or the page to send the person to instead.
 * - email-request (before the link is mailed): true; the provider checks the policy and the limits
 *   itself, where its refusal message reaches the sign-in form;
 * - email-link (the link is clicked, up to 30 minutes later): the policy again, so a revoked
 *   invitation or a tightened policy is not outlived by a link already sent;
 * - oauth: a verified address is required (src/server/auth/github.ts leaves it null otherwise).
 */
export async function signInDecision(
  db: DbTx,
  attempt: { step: SignInStep; email: string | null | undefined },
  signup: SignupPolicy = signupPolicyFromEnv(),
): Promise<true | string> {
  if (attempt.step === "email-request") return true;
  if (!attempt.email) return "/signin?error=EmailUnverified";
  try {
    await assertMaySignIn(db, attempt.email, signup);
    return true;
  } catch (error) {
    if (error instanceof AppError && error.code === "FORBIDDEN") return "/signin?error=SignupClosed";
    throw error;
  }
}
