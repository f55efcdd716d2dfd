"use server";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { AuthError } from "next-auth";
import { signIn, signOut } from "@/server/auth/config";
import { emailSchema } from "@/shared/schemas/common";
import { assertMaySendSignInEmail, safeCallbackPath } from "@/server/services/auth";
import { clientIp } from "@/server/trpc/context";
import { isAppError } from "@/server/errors";

export type SignInState = { email: string; error?: string };

/** Validates the address, applies the rate limit, and asks Auth.js to send the magic link. */
export async function requestSignInLink(_prev: SignInState, form: FormData): Promise<SignInState> {
  const value = form.get("email");
  const raw = typeof value === "string" ? value : "";
  const parsed = emailSchema.safeParse(raw);
  if (!parsed.success) return { email: raw, error: parsed.error.issues[0]?.message ?? "Enter a valid email address" };
  try {
    await assertMaySendSignInEmail(parsed.data, clientIp(await headers()));
  } catch (error) {
    if (isAppError(error)) return { email: raw, error: error.message };
    throw error;
  }
  try {
    await signIn("email", { email: parsed.data, redirectTo: safeCallbackPath(form.get("callbackUrl")), redirect: false });
  } catch (error) {
    if (error instanceof AuthError) return { email: raw, error: "We could not send the sign-in email. Try again." };
    throw error;
  }
  // Straight to our page (Auth.js would bounce through /api/auth/verify-request first).
  redirect("/signin/check-email");
}

export async function signInWithGitHub(form: FormData): Promise<void> {
  await signIn("github", { redirectTo: safeCallbackPath(form.get("callbackUrl")) });
}

export async function signOutAction(): Promise<void> {
  await signOut({ redirectTo: "/signin" });
}
