/**
 * Next's proxy (formerly "middleware"): runs before every page is rendered. It gives each page
 * request a fresh CSP nonce — Next reads it from the request's Content-Security-Policy header and
 * puts it on its own inline scripts — and sends the policy and, on https, HSTS with the page.
 * API routes, static files and prefetches are excluded by the matcher (they get the constant
 * headers from src/server/http/response-headers.ts).
 */
import { NextResponse, type NextRequest } from "next/server";
import { env } from "@/server/env";
import { pageContentSecurityPolicy, STRICT_TRANSPORT_SECURITY } from "@/server/http/security-headers";

export function proxy(request: NextRequest): NextResponse {
  const config = env();
  const https = new URL(config.APP_URL).protocol === "https:";
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
  const policy = pageContentSecurityPolicy({
    nonce,
    development: config.NODE_ENV === "development",
    imageSources: config.MARKDOWN_IMAGE_SOURCES,
    https,
    formTargets: config.AUTH_GITHUB_ID ? ["https://github.com"] : [],
  });
  // Next finds the nonce in the request's CSP header and puts it on the scripts it renders.
  const headers = new Headers(request.headers);
  headers.set("content-security-policy", policy);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("content-security-policy", policy);
  if (https) response.headers.set("strict-transport-security", STRICT_TRANSPORT_SECURITY);
  return response;
}

export const config = {
  matcher: [
    {
      source: "/((?!api/|_next/static|_next/image|icon\\.svg|favicon\\.ico|robots\\.txt|manifest\\.webmanifest).*)",
      missing: [
        { type: "header", key: "next-router-prefetch" },
        { type: "header", key: "purpose", value: "prefetch" },
      ],
    },
  ],
};
