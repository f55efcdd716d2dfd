"use client";
import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/field";
import { requestSignInLink, signInWithGitHub, type SignInState } from "./actions";

export function SignInForm({
  callbackUrl,
  github,
  authError,
  defaultEmail = "",
}: {
  callbackUrl: string;
  github: boolean;
  authError?: string;
  defaultEmail?: string;
}) {
  const [state, action, pending] = useActionState<SignInState, FormData>(requestSignInLink, { email: defaultEmail });
  return (
    <div className="space-y-4">
      {authError ? (
        <p role="alert" className="rounded-md bg-red-50 p-2 text-sm text-red-700">
          {authError}
        </p>
      ) : null}
      <form action={action} className="space-y-3" noValidate>
        <input type="hidden" name="callbackUrl" value={callbackUrl} />
        <Field label="Email" errors={state.error ? [state.error] : undefined}>
          {(a11y) => (
            <Input
              {...a11y}
              name="email"
              type="email"
              autoComplete="email"
              placeholder="you@company.com"
              defaultValue={state.email}
              autoFocus
              required
            />
          )}
        </Field>
        <Button type="submit" className="w-full" loading={pending}>
          Email me a sign-in link
        </Button>
      </form>
      {github ? (
        <form action={signInWithGitHub}>
          <input type="hidden" name="callbackUrl" value={callbackUrl} />
          <Button type="submit" variant="secondary" className="w-full">
            Continue with GitHub
          </Button>
        </form>
      ) : null}
    </div>
  );
}
