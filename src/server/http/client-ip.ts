/**
 * The client's address, decided once at the edge by Lanes' HTTP server (./serve.ts) and passed
 * to the app in CLIENT_IP_HEADER. Next's route handlers cannot see the socket, and
 * X-Forwarded-For is whatever the client sends unless a proxy we trust wrote it
 * (docs/decisions/0018-client-ip.md).
 */
import type { IncomingMessage } from "node:http";

/** Set by Lanes' server on every request; a copy sent by a client is removed first. */
export const CLIENT_IP_HEADER = "x-lanes-client-ip";

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
export function resolveClientAddress(socketAddress: string | undefined, headers: IncomingHeaders, trust: ProxyTrust): string {
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

/** Replaces any client-sent copy of CLIENT_IP_HEADER with the address decided from the socket. */
export function stampClientAddress(req: IncomingMessage, trust: ProxyTrust): void {
  req.headers[CLIENT_IP_HEADER] = resolveClientAddress(req.socket.remoteAddress, req.headers, trust);
}

/** The address Lanes' server decided for this request (route handlers, Auth.js callbacks). */
export function clientIpFrom(headers: Headers): string {
  return headers.get(CLIENT_IP_HEADER) || UNKNOWN_CLIENT;
}
