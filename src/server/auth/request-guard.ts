/**
 * What the Auth.js routes (/api/auth/*) are checked for before Auth.js sees them. Auth.js answers
 * some bad input as a server error (500 "There was a problem with the server configuration"): a
 * callback URL it cannot parse, in the query, the form or its own cookie; a NUL in a sign-in token
 * reaches the database. Text is held to the same rule as every procedure's input (textProblem).
 */
import { textProblem } from "@/server/trpc/input-limits";

/** The same test Auth.js applies (an http(s) URL, or a path on this origin), so it never refuses one we pass. */
export function isUsableCallbackUrl(value: string, origin: string): boolean {
  if (textProblem(value)) return false;
  try {
    return /^https?:/.test(new URL(value, value.startsWith("/") ? origin : undefined).protocol);
  } catch {
    return false;
  }
}

/** Why these form or query fields must be refused (name: reason), or null. */
export function authFieldProblem(fields: URLSearchParams, origin: string): string | null {
  for (const [name, value] of fields) {
    const problem = textProblem(name) ?? textProblem(value);
    if (problem) return `${name.slice(0, 40)}: ${problem}`;
    if (name === "callbackUrl" && value !== "" && !isUsableCallbackUrl(value, origin))
      return "callbackUrl: not a URL or a path on this site";
  }
  return null;
}

/** The Cookie header without a callback-URL cookie Auth.js would refuse (it then uses its default). */
export function withoutUnusableCallbackCookie(cookieHeader: string, origin: string): string {
  return cookieHeader
    .split(";")
    .filter((part) => {
      const eq = part.indexOf("=");
      const name = part.slice(0, eq).trim();
      if (eq < 0 || !name.endsWith("authjs.callback-url")) return true;
      let value = part.slice(eq + 1).trim();
      try {
        value = decodeURIComponent(value);
      } catch {
        return false;
      }
      return isUsableCallbackUrl(value, origin);
    })
    .join(";");
}
