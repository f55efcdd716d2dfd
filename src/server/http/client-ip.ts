/**
 * The client's address, decided once at the edge by Lanes' HTTP server (./serve.ts) and passed
 * to the app in CLIENT_IP_HEADER. Next's route handlers cannot see the socket, and
 * X-Forwarded-For is whatever the client sends unless a proxy we trust wrote it
 * (docs/decisions/0020-client-ip.md).
 */
import { randomBytes } from "node:crypto";
import type { IncomingMessage } from "node:http";

/** Set by Lanes' server on every request; a copy sent by a client is replaced. */
export const CLIENT_IP_HEADER = "x-lanes-client-ip";
/**
 * Proves CLIENT_IP_HEADER came from Lanes' server: a secret made per process (the server and the
 * app share it), so behind plain `next start` a client who sends both headers still gets "unknown".
 */
export const EDGE_TOKEN_HEADER = "x-lanes-edge-token";
const EDGE_TOKEN_ENV = "LANES_EDGE_TOKEN";

/**
 * Set by Lanes' server on a page request it counted against the caller's rate-limit budget
 * (./page-budget.ts), with the edge token as its value, so a client cannot claim it.
 */
export const PAGE_COUNTED_HEADER = "x-lanes-page-counted";

/** Whether a header carries this process's edge token (it passed Lanes' server, which stamped it). */
export function isEdgeToken(
  value: string | null,
  edgeToken: string | undefined = process.env[EDGE_TOKEN_ENV],
): boolean {
  return !!edgeToken && value === edgeToken;
}

/** Called once by Lanes' server before Next starts. */
export function createEdgeToken(): string {
  const token = randomBytes(24).toString("base64url");
  process.env[EDGE_TOKEN_ENV] = token;
  return token;
}

/** Used when the address cannot be known (e.g. the app runs behind plain `next start`). */
export const UNKNOWN_CLIENT = "unknown";

export type ProxyTrust = { hops: number; header?: undefined } | { header: string; hops?: undefined };

type IncomingHeaders = Record<string, string | string[] | undefined>;

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(",") : value;
}

/** Strips an IPv6-mapped IPv4 prefix (::ffff:1.2.3.4 → 1.2.3.4) so one client has one key. */
export function normalizeAddress(address: string): string {
  const trimmed = address.trim();
  return trimmed.toLowerCase().startsWith("::ffff:") && trimmed.includes(".") ? trimmed.slice(7) : trimmed;
}

/**
 * - no proxy (hops 0): the socket peer; X-Forwarded-For is ignored, so forging it changes nothing;
 * - N trusted proxies: each appends the address it received from, so the client is the entry N
 *   places before the socket peer (entries further left were written by the client and are ignored);
 * - a trusted header (e.g. cf-connecting-ip): its value, when the proxy sets one.
 */
export function resolveClientAddress(
  socketAddress: string | undefined,
  headers: IncomingHeaders,
  trust: ProxyTrust,
): string {
  const peer = socketAddress ? normalizeAddress(socketAddress) : UNKNOWN_CLIENT;
  if (trust.header !== undefined) {
    const value = single(headers[trust.header])?.split(",")[0]?.trim();
    return value ? normalizeAddress(value) : peer;
  }
  if (trust.hops === 0) return peer;
  const forwarded = (single(headers["x-forwarded-for"]) ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  const chain = [...forwarded, peer];
  // chain[last] is the nearest proxy; each trusted hop moves one entry to the left.
  const index = chain.length - 1 - trust.hops;
  return normalizeAddress(chain[Math.max(0, index)]!);
}

/** Replaces any client-sent copy of the two headers with the address decided from the socket. */
export function stampClientAddress(req: IncomingMessage, trust: ProxyTrust, edgeToken: string): void {
  req.headers[CLIENT_IP_HEADER] = resolveClientAddress(req.socket.remoteAddress, req.headers, trust);
  req.headers[EDGE_TOKEN_HEADER] = edgeToken;
}

/** The address Lanes' server decided for this request (route handlers, Auth.js callbacks); "unknown" otherwise. */
export function clientIpFrom(headers: Headers, edgeToken: string | undefined = process.env[EDGE_TOKEN_ENV]): string {
  if (!isEdgeToken(headers.get(EDGE_TOKEN_HEADER), edgeToken)) return UNKNOWN_CLIENT;
  return headers.get(CLIENT_IP_HEADER) || UNKNOWN_CLIENT;
}

/**
 * The key per-IP limits count under: IPv4 as is, IPv6 by its /64 — one host usually owns a whole
 * /64, and would otherwise have 2^64 fresh budgets. Canonical form, so spellings of one prefix match.
 */
export function addressBucket(address: string): string {
  if (!address.includes(":")) return address;
  const groups = expandIPv6(address);
  return groups ? `${groups.slice(0, 4).join(":")}::/64` : address;
}

/** The eight 16-bit groups of an IPv6 address, lowercase without leading zeros; null if it is not one. */
function expandIPv6(address: string): string[] | null {
  const [head = "", tail, extra] = address.toLowerCase().split("::");
  if (extra !== undefined) return null;
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const missing = 8 - left.length - right.length;
  if (tail === undefined ? missing !== 0 : missing < 1) return null;
  const groups = [...left, ...Array<string>(tail === undefined ? 0 : missing).fill("0"), ...right];
  if (!groups.every((g) => /^[0-9a-f]{1,4}$/.test(g))) return null;
  return groups.map((g) => g.replace(/^0+(?=.)/, ""));
}
