import type { NextConfig } from "next";
import { API_HEADERS, CONSTANT_HEADERS } from "./src/server/http/response-headers";

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
  // LANES_PROFILE_BUILD=1: server code unminified, so a CPU profile names functions (bench/cpu-profile.ts).
  ...(process.env.LANES_PROFILE_BUILD === "1" ? { experimental: { turbopackMinify: { server: false } } } : {}),
  // Server-only packages that must not be bundled (native-ish or worker-based).
  serverExternalPackages: ["pino", "pg", "@prisma/adapter-pg", "ioredis", "nodemailer", "prom-client"],
  headers() {
    return Promise.resolve([
      { source: "/:path*", headers: [...CONSTANT_HEADERS] },
      { source: "/api/:path*", headers: [...API_HEADERS] },
    ]);
  },
};

export default nextConfig;
