import type { NextConfig } from "next";

const securityHeaders = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=()" },
];

const nextConfig: NextConfig = {
  // Tests run their own server beside a developer's without sharing build output.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  // `npm run app` builds for someone who only wants to use Lanes: the type check (the
  // whole project, tests included) is CI's job (`npm run typecheck`), not theirs to wait for.
  typescript: { ignoreBuildErrors: process.env.LANES_BUILD_SKIP_TYPECHECK === "1" },
  poweredByHeader: false,
  // Keep the dev badge off the sidebar's account menu (bottom-left).
  devIndicators: { position: "bottom-right" },
  reactStrictMode: true,
  // Server-only packages that must not be bundled (native-ish or worker-based).
  serverExternalPackages: ["pino", "pg", "@prisma/adapter-pg", "ioredis", "nodemailer"],
  headers() {
    return Promise.resolve([{ source: "/:path*", headers: securityHeaders }]);
  },
};

export default nextConfig;
