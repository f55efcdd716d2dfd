/**
 * GitHub sign-in that only ever takes a verified address. Auth.js's GitHub provider uses the
 * profile's public email, or else the primary one from /user/emails, without looking at
 * `verified`: an unverified address could then sign in as (or be invited as) someone else.
 */
import GitHub from "next-auth/providers/github";
import type { OAuthConfig } from "next-auth/providers";
import type { GitHubProfile } from "next-auth/providers/github";

export type GitHubEmail = { email: string; primary: boolean; verified: boolean };

/** The primary address if verified, else any verified one, else null. */
export function verifiedEmail(emails: readonly GitHubEmail[]): string | null {
  const verified = emails.filter((e) => e.verified);
  return (verified.find((e) => e.primary) ?? verified[0])?.email.toLowerCase() ?? null;
}

const API = "https://api.github.com";

async function githubJson<T>(path: string, accessToken: string | undefined): Promise<T> {
  const res = await fetch(`${API}${path}`, {
    headers: { Authorization: `Bearer ${accessToken}`, "User-Agent": "lanes", Accept: "application/vnd.github+json" },
  });
  if (!res.ok) throw new Error(`GitHub ${path} answered ${res.status}`);
  return (await res.json()) as T;
}

export function gitHubProvider(clientId: string, clientSecret: string): OAuthConfig<GitHubProfile> {
  return GitHub({
    clientId,
    clientSecret,
    userinfo: {
      url: `${API}/user`,
      async request({ tokens }: { tokens: { access_token?: string } }) {
        const [profile, emails] = await Promise.all([
          githubJson<GitHubProfile>("/user", tokens.access_token),
          githubJson<GitHubEmail[]>("/user/emails", tokens.access_token),
        ]);
        // No verified address: email stays null and the signIn callback refuses the sign-in.
        return { ...profile, email: verifiedEmail(emails) };
      },
    },
  });
}
