/**
 * POSTing to addresses people typed in (webhooks) without letting them reach inside: a target on a
 * private, loopback, link-local (cloud metadata), CGNAT, multicast or otherwise non-public address is
 * refused — checked on the address the connection actually uses (our own DNS lookup hands the checked
 * address to the socket, so a name cannot resolve to one address for the check and another for the
 * connection), and again on every redirect. An allow-list (WEBHOOK_ALLOWED_TARGETS) names exceptions:
 * hosts, IPs or CIDR ranges. Timeouts bound every attempt; only the start of the answer is read.
 *
 * node:http rather than fetch: fetch cannot take a custom lookup per request.
 */
import dns from "node:dns";
import http from "node:http";
import https from "node:https";
import { isIP, type LookupFunction } from "node:net";
import ipaddr from "ipaddr.js";

export class TargetRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TargetRefused";
  }
}

export type TargetPolicy = {
  /** Host names (lowercase), addresses and CIDR ranges allowed although not public. */
  allowed: readonly string[];
};

export type PostResult = {
  status: number;
  /** The start of the body, as text. */
  excerpt: string;
  /** The URL that answered (after redirects). */
  finalUrl: string;
};

export const MAX_REDIRECTS = 3;
const EXCERPT_BYTES = 1024;

function parseAddress(address: string): ipaddr.IPv4 | ipaddr.IPv6 | null {
  try {
    // process(): an IPv4-mapped IPv6 address (::ffff:10.0.0.1) is judged as the IPv4 address it is.
    return ipaddr.process(address);
  } catch {
    return null;
  }
}

/** A public unicast address: not private, loopback, link-local, reserved, multicast, CGNAT, … */
export function isPublicAddress(address: string): boolean {
  const parsed = parseAddress(address);
  if (parsed === null || parsed.range() !== "unicast") return false;
  // IPv4-compatible IPv6 (::a.b.c.d, deprecated) is called unicast by ipaddr.js but can route to IPv4.
  return !(parsed.kind() === "ipv6" && (parsed as ipaddr.IPv6).parts.slice(0, 6).every((part) => part === 0));
}

function allowedAddress(policy: TargetPolicy, address: string): boolean {
  const parsed = parseAddress(address);
  if (!parsed) return false;
  return policy.allowed.some((entry) => {
    if (entry.includes("/")) {
      try {
        const [range, bits] = ipaddr.parseCIDR(entry);
        return range.kind() === parsed.kind() && parsed.match(range, bits);
      } catch {
        return false;
      }
    }
    const literal = parseAddress(entry);
    return literal !== null && literal.kind() === parsed.kind() && literal.toString() === parsed.toString();
  });
}

function allowedHost(policy: TargetPolicy, host: string): boolean {
  return policy.allowed.includes(host.toLowerCase());
}

/** Whether a connection to `address` (which `host` resolved to) may be made. */
export function mayConnect(policy: TargetPolicy, host: string, address: string): boolean {
  return isPublicAddress(address) || allowedHost(policy, host) || allowedAddress(policy, address);
}

/** A lookup that resolves as usual, then keeps only the addresses the policy allows. */
function guardedLookup(policy: TargetPolicy): LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { all: true, family: options.family }, (error, addresses) => {
      if (error) return callback(error, "", 4);
      const usable = addresses.filter((a) => mayConnect(policy, hostname, a.address));
      if (usable.length === 0) {
        const shown = addresses[0]?.address ?? "nothing";
        return callback(new TargetRefused(`${hostname} resolves to ${shown}, which is not a public address`), "", 4);
      }
      if (options.all) callback(null, usable);
      else callback(null, usable[0]!.address, usable[0]!.family);
    });
  };
}

/** Refuses what can be refused before connecting: the scheme, credentials, and literal addresses. */
export function checkTarget(policy: TargetPolicy, url: URL): void {
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new TargetRefused("Use an http or https URL");
  if (url.username || url.password) throw new TargetRefused("Leave user names and passwords out of the URL");
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (isIP(host) && !mayConnect(policy, host, host)) throw new TargetRefused(`${host} is not a public address`);
}

function postOnce(
  policy: TargetPolicy,
  url: URL,
  headers: Record<string, string>,
  body: string,
  signal: AbortSignal,
): Promise<{ status: number; location: string | null; excerpt: string }> {
  checkTarget(policy, url);
  const client = url.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.request(
      url,
      {
        method: "POST",
        headers: { ...headers, "content-length": String(Buffer.byteLength(body)) },
        lookup: guardedLookup(policy),
        signal,
        // A fresh connection per attempt: a pooled socket would skip the address check.
        agent: false,
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const finish = () => {
          response.destroy();
          resolve({
            status: response.statusCode ?? 0,
            location: typeof response.headers.location === "string" ? response.headers.location : null,
            excerpt: Buffer.concat(chunks).subarray(0, EXCERPT_BYTES).toString("utf8"),
          });
        };
        response.on("data", (chunk: Buffer) => {
          chunks.push(chunk);
          size += chunk.length;
          if (size >= EXCERPT_BYTES) finish();
        });
        response.on("end", finish);
        response.on("error", reject);
      },
    );
    request.on("error", reject);
    request.end(body);
  });
}

/**
 * POSTs `body` to `target`, following up to MAX_REDIRECTS redirects (each checked like the first,
 * the same POST repeated), within `timeoutMs` in all. Throws TargetRefused, a network error, or a
 * timeout (AbortError); an HTTP error status is a result, not an exception.
 */
export async function postJson(
  policy: TargetPolicy,
  target: string,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
): Promise<PostResult> {
  const signal = AbortSignal.timeout(timeoutMs);
  let url = new URL(target);
  for (let hop = 0; ; hop++) {
    const answer = await postOnce(policy, url, { "content-type": "application/json", ...headers }, body, signal);
    const redirected = answer.status >= 300 && answer.status < 400 && answer.location;
    if (!redirected) return { status: answer.status, excerpt: answer.excerpt, finalUrl: url.toString() };
    if (hop >= MAX_REDIRECTS) throw new TargetRefused(`More than ${MAX_REDIRECTS} redirects`);
    url = new URL(answer.location!, url);
  }
}
