"use server";
import { redirect } from "next/navigation";
import { AuthError } from "next-auth";
import { signIn, signOut } from "@/server/auth/config";
import { emailSchema } from "@/shared/schemas/common";
import { safeCallbackPath } from "@/server/services/auth";
import { isAppError, type AppError } from "@/server/errors";

export type SignInState = { email: string; error?: string };

/** The AppError (e.g. a rate limit) behind an Auth.js error, if any. */
function appErrorIn(error: unknown): AppError | null {
  for (let e: unknown = error, depth = 0; e && depth < 5; depth++) {
    if (isAppError(e)) return e;
    e = (e as { cause?: unknown }).cause;
    if (e && typeof e === "object" && "err" in e) e = e.err;
  }
  return null;
}

/** Validates the address and asks Auth.js to send the magic link (rate limited by the provider). */
export async function requestSignInLink(_prev: SignInState, form: FormData): Promise<SignInState> {
  const value = form.get("email");
  const raw = typeof value === "string" ? value : "";
  const parsed = emailSchema.safeParse(raw);
  if (!parsed.success) return { email: raw, error: parsed.error.issues[0]?.message ?? "Enter a valid email address" };
  try {
    await signIn("email", {
      email: parsed.data,
      redirectTo: safeCallbackPath(form.get("callbackUrl")),
      redirect: false,
    });
  } catch (error) {
    if (error instanceof AuthError)
      return { email: raw, error: appErrorIn(error)?.message ?? "We could not send the sign-in email. Try again." };
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
