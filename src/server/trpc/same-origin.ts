/**
 * Cross-site request forgery check for state-changing requests (docs/decisions/0017-csrf.md).
 * Browsers say where a request comes from (Sec-Fetch-Site on every request since 2023,
 * Origin on every POST); scripts and servers send neither and cannot ride a victim's
 * cookies, so a request without both headers is not a browser's and is let through.
 */

/** Origins that are this app: APP_URL's, and the one the request was addressed to. */
function ownOrigins(requestUrl: string, appUrl: string): Set<string> {
  const origins = new Set<string>([new URL(appUrl).origin]);
  try {
    origins.add(new URL(requestUrl).origin);
  } catch {
    // A relative or odd URL adds nothing.
  }
  return origins;
}

/** Why this request must be refused as cross-site, or null when it may proceed. */
export function crossSiteReason(headers: Headers, requestUrl: string, appUrl: string): string | null {
  const site = headers.get("sec-fetch-site")?.toLowerCase();
  // "none": typed into the address bar or a bookmark; "same-origin": our own pages.
  if (site === "same-origin" || site === "none") return null;
  if (site === "same-site" || site === "cross-site") return "Cross-site requests are not accepted";
  const origin = headers.get("origin");
  if (origin === null) return null;
  if (origin === "null" || !ownOrigins(requestUrl, appUrl).has(origin)) return "Cross-site requests are not accepted";
  return null;
}
