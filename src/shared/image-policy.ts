/**
 * Which images user Markdown may show: the page's Content-Security-Policy img-src
 * (src/server/http/security-headers.ts) and the Markdown renderer, which shows any other
 * image as a plain link rather than a broken one, decide from the same list.
 */

/** A CSP host source: `https:`, `https://host`, `https://*.host`, optionally with a port or path. */
export const IMAGE_SOURCE_PATTERN = /^(https:|https:\/\/(\*\.)?[a-z0-9.-]+(:\d+)?(\/[^\s;,']*)?)$/i;

const SOURCE_PARTS = /^https:\/\/(\*\.)?([a-z0-9.-]+)(?::(\d+))?(\/[^\s;,']*)?$/i;

/**
 * Whether an image URL is allowed by `imageSources`, by CSP's own matching rules (CSP3 "does url
 * match expression"): the scheme; the host exactly, or a subdomain for `*.`; the port exactly (none
 * means the scheme's default); the path exactly, or as a prefix when the source's path ends in `/`.
 */
export function imageAllowed(src: string, imageSources: readonly string[], ownOrigin: string): boolean {
  let url: URL;
  try {
    url = new URL(src, ownOrigin);
  } catch {
    return false;
  }
  if (url.protocol === "data:" || url.protocol === "blob:" || url.origin === ownOrigin) return true;
  if (url.protocol !== "https:") return false;
  return imageSources.some((source) => {
    if (source.toLowerCase() === "https:") return true;
    const parts = SOURCE_PARTS.exec(source);
    if (!parts) return false;
    const [, wildcard, host = "", port, path] = parts;
    const hostname = host.toLowerCase();
    const hostMatches = wildcard ? url.hostname.endsWith(`.${hostname}`) : url.hostname === hostname;
    // WHATWG URLs drop the default port (443 → ""), so compare the same way.
    const portMatches = url.port === (port === undefined || port === "443" ? "" : port);
    const pathMatches = !path || (path.endsWith("/") ? url.pathname.startsWith(path) : url.pathname === path);
    return hostMatches && portMatches && pathMatches;
  });
}
