/**
 * The signed-in user for API requests, read straight from the session cookie and the Session table.
 *
 * Why not Auth.js's `auth()` here: it swallows database errors and answers "no session", so during a
 * database outage every API call said 401 "Sign in to continue" and clients signed people out. A
 * lookup of our own lets the outage surface as a retryable 503. Pages still use `auth()`, which also
 * extends sessions (updateAge); the rules match: the cookie Auth.js sets, an unexpired row.
 */
import type { Db } from "@/server/db/client";
import { sessionUser } from "@/server/cache/lookups";

/** Auth.js's cookie name: `__Secure-` prefixed when cookies are secure (APP_URL is https). */
export function sessionCookieName(appUrl: string): string {
  return new URL(appUrl).protocol === "https:" ? "__Secure-authjs.session-token" : "authjs.session-token";
}

/** The value of cookie `name` in a Cookie header, or null. */
export function readCookie(header: string | null, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      const value = part.slice(eq + 1).trim();
      try {
        return decodeURIComponent(value);
      } catch {
        return value;
      }
    }
  }
  return null;
}

/** Session tokens Auth.js issues are UUIDs or hex; anything far from that is not worth a query. */
const PLAUSIBLE_TOKEN = /^[A-Za-z0-9._-]{16,256}$/;

export async function sessionUserId(db: Db, cookieHeader: string | null, appUrl: string): Promise<string | null> {
  const token = readCookie(cookieHeader, sessionCookieName(appUrl));
  if (!token || !PLAUSIBLE_TOKEN.test(token)) return null;
  return (await sessionUser(db, token, new Date()))?.userId ?? null;
}
