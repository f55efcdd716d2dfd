/** Sign-in rules that sit in front of Auth.js. */
import { AppError } from "@/server/errors";
import { rateLimiter } from "@/server/ratelimit/limiter";

/** At most a few sign-in emails per address and per IP, so the form cannot be used to spam. */
export async function assertMaySendSignInEmail(email: string, ip: string): Promise<void> {
  const limiter = rateLimiter("signInEmail");
  if (!limiter) return;
  const [byEmail, byIp] = await Promise.all([limiter.limit(`email:${email}`), limiter.limit(`ip:${ip}`)]);
  if (!byEmail.success || !byIp.success) {
    throw new AppError("TOO_MANY_REQUESTS", "Too many sign-in emails. Wait a few minutes and try again.");
  }
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
