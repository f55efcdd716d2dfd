// @ts-check

/**
 * Headers every response carries, whatever the configuration. Pages also get a per-request
 * Content-Security-Policy with a nonce, and HSTS on https, from src/proxy.ts
 * (docs/decisions/0021-content-security-policy.md).
 */
const constantHeaders = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  // Legacy twin of CSP frame-ancestors 'none' for browsers without CSP level 2.
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=(), usb=()" },
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
];

/** API answers are data, never documents: nothing in them may load or run. */
const apiHeaders = [
  {
    key: "Content-Security-Policy",
    value: "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  },
];

/** @type {import("next").NextConfig} */
const nextConfig = {
  // Tests run their own server beside a developer's without sharing build output.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  // `npm run app` builds for someone who only wants to use Lanes: the type check (the
  // whole project, tests included) is CI's job (`npm run typecheck`), not theirs to wait for.
  typescript: { ignoreBuildErrors: process.env.LANES_BUILD_SKIP_TYPECHECK === "1" },
  poweredByHeader: false,
  // Keep the dev badge off the sidebar's account menu (bottom-left).
  devIndicators: { position: "bottom-right" },
  reactStrictMode: true,
  // LANES_PROFILE_BUILD=1: server code unminified, so a CPU profile names functions (bench/cpu-profile.ts).
  ...(process.env.LANES_PROFILE_BUILD === "1" ? { experimental: { turbopackMinify: { server: false } } } : {}),
  // Server-only packages that must not be bundled (native-ish or worker-based).
  serverExternalPackages: ["pino", "pg", "@prisma/adapter-pg", "ioredis", "nodemailer", "prom-client"],
  headers() {
    return Promise.resolve([
      { source: "/:path*", headers: constantHeaders },
      { source: "/api/:path*", headers: apiHeaders },
    ]);
  },
};

export default nextConfig;
