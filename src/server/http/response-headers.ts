/**
 * Headers every response carries, whatever the configuration: applied by Next (next.config.ts
 * `headers()`) and by Lanes' own API server (./api-server.ts), from this one list. Pages also get a
 * per-request Content-Security-Policy with a nonce, and HSTS on https, from src/proxy.ts
 * (docs/decisions/0021-content-security-policy.md).
 *
 * No imports: next.config.ts loads this file before the app's path aliases exist.
 */
export type HeaderEntry = { key: string; value: string };

export const CONSTANT_HEADERS: readonly HeaderEntry[] = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  // Legacy twin of CSP frame-ancestors 'none' for browsers without CSP level 2.
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=(), usb=()" },
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
];

/** API answers are data, never documents: nothing in them may load or run. */
export const API_HEADERS: readonly HeaderEntry[] = [
  {
    key: "Content-Security-Policy",
    value: "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  },
];
