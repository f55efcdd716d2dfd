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

  it("sends Auth.js' redirects to APP_URL, not to the address the server listens on (0.0.0.0)", async () => {
    // A sign-in link that no longer works, and a provider that is not configured: both end on the
    // sign-in page, which must be the public one.
    const expired = await fetch(`${base()}/api/auth/callback/email?token=expired&email=a%40example.test`, {
      redirect: "manual",
    });
    expect(expired.status).toBe(302);
    expect(expired.headers.get("location")).toBe("https://lanes.example.test/signin?error=Verification");
    const github = await fetch(`${base()}/api/auth/signin/github`, { redirect: "manual" });
    expect(github.headers.get("location")).toMatch(/^https:\/\/lanes\.example\.test\/signin\?error=/);
  });

  it("has no mailbox: sign-in links only ever leave by mail", async () => {
    expect((await fetch(`${base()}/dev/mailbox`)).status).toBe(404);
  });
});
