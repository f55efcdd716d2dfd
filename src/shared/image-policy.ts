/**
 * Which images user Markdown may show: the page's Content-Security-Policy img-src
 * (src/server/http/security-headers.ts) and the Markdown renderer, which shows any other
 * image as a plain link rather than a broken one, decide from the same list.
 */

/** A CSP host source: `https:`, `https://host`, `https://*.host`, optionally with a port or path. */
export const IMAGE_SOURCE_PATTERN = /^(https:|https:\/\/(\*\.)?[a-z0-9.-]+(:\d+)?(\/[^\s;,']*)?)$/i;

/** Whether an image URL is allowed by `imageSources` (as the browser would judge it, roughly). */
export function imageAllowed(src: string, imageSources: readonly string[], ownOrigin: string): boolean {
  let url: URL;
  try {
    url = new URL(src, ownOrigin);
  } catch {
    return false;
  }
  if (url.protocol === "data:" || url.protocol === "blob:" || url.origin === ownOrigin) return true;
  return imageSources.some((source) => {
    if (source.toLowerCase() === "https:") return url.protocol === "https:";
    const allowed = new URL(source.replace("*.", "wildcard."));
    if (url.protocol !== allowed.protocol || (allowed.port && url.port !== allowed.port)) return false;
    const host = allowed.hostname.startsWith("wildcard.") ? allowed.hostname.slice("wildcard".length) : null;
    const hostMatches = host ? url.hostname.endsWith(host) : url.hostname === allowed.hostname;
    return hostMatches && url.pathname.startsWith(allowed.pathname === "/" ? "/" : allowed.pathname);
  });
}
