/**
 * What a server configured for a public https URL sends (the production build, APP_URL=https://…):
 * Secure, prefixed cookies decided by configuration — these requests arrive over plain http with no
 * X-Forwarded-Proto, as from a proxy that does not say — HSTS, and a CSP that upgrades stray
 * http subresources. (The browser tests' main server is on http://localhost and sends neither.)
 */
import { describe, expect, inject, it } from "vitest";

const base = () => inject("httpsDeploymentUrl");

describe("a deployment whose APP_URL is https", () => {
  it("sets Secure, __Host-/__Secure- prefixed auth cookies even when the request arrives as plain http", async () => {
    const res = await fetch(`${base()}/api/auth/csrf`);
    expect(res.status).toBe(200);
    const cookies = res.headers.getSetCookie();
    const csrf = cookies.find((c) => c.startsWith("__Host-authjs.csrf-token="));
    expect(csrf, cookies.join("\n")).toBeDefined();
    expect(csrf).toMatch(/;\s*Secure/i);
    expect(csrf).toMatch(/;\s*HttpOnly/i);
    for (const cookie of cookies) expect(cookie, cookie).toMatch(/;\s*Secure/i);
  });

  it("pages carry HSTS and a CSP that upgrades insecure requests", async () => {
    const res = await fetch(`${base()}/signin`);
    expect(res.status).toBe(200);
    expect(res.headers.get("strict-transport-security")).toBe("max-age=63072000; includeSubDomains");
    expect(res.headers.get("content-security-policy")).toMatch(/upgrade-insecure-requests/);
    expect(res.headers.get("content-security-policy")).toMatch(/frame-ancestors 'none'/);
  });

  it("has no mailbox: sign-in links only ever leave by mail", async () => {
    expect((await fetch(`${base()}/dev/mailbox`)).status).toBe(404);
  });
});
