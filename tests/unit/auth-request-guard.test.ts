import { describe, expect, it } from "vitest";
import { authFieldProblem, isUsableCallbackUrl, withoutUnusableCallbackCookie } from "@/server/auth/request-guard";

const origin = "http://localhost:3000";

describe("Auth.js request guard", () => {
  it("accepts what Auth.js accepts as a callback URL: http(s) URLs and paths on this site", () => {
    for (const ok of ["/", "/w/acme", "http://localhost:3000/invite/abc", "https://elsewhere.example/x"])
      expect(isUsableCallbackUrl(ok, origin), ok).toBe(true);
    for (const bad of ["a\u0000b@example.test", "%00", "javascript:alert(1)", "not a url", "\ud800"])
      expect(isUsableCallbackUrl(bad, origin), bad).toBe(false);
  });

  it("names the first field with text that cannot be stored, or an unusable callback URL", () => {
    expect(authFieldProblem(new URLSearchParams({ email: "a@b.test", callbackUrl: "/" }), origin)).toBeNull();
    expect(authFieldProblem(new URLSearchParams({ callbackUrl: "" }), origin)).toBeNull();
    expect(authFieldProblem(new URLSearchParams({ token: "a\u0000" }), origin)).toMatch(/^token: .*NUL/);
    expect(authFieldProblem(new URLSearchParams({ callbackUrl: "%00" }), origin)).toMatch(/^callbackUrl:/);
    expect(authFieldProblem(new URLSearchParams({ ["x".repeat(200_000)]: "1" }), origin)!.length).toBeLessThan(200);
  });

  it("drops only a callback-URL cookie Auth.js would refuse", () => {
    const session = "authjs.session-token=abc";
    expect(withoutUnusableCallbackCookie(`${session}; authjs.callback-url=%2Fw%2Facme`, origin)).toBe(
      `${session}; authjs.callback-url=%2Fw%2Facme`,
    );
    expect(withoutUnusableCallbackCookie(`${session}; authjs.callback-url=%00x`, origin)).toBe(session);
    expect(withoutUnusableCallbackCookie(`__Secure-authjs.callback-url=%E0%A4%A; ${session}`, origin).trim()).toBe(
      session,
    );
  });
});
