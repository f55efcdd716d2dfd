import { describe, expect, it } from "vitest";
import { readCookie, sessionCookieName } from "@/server/auth/session";

describe("session cookie", () => {
  it("uses Auth.js's name: __Secure- prefixed exactly when APP_URL is https", () => {
    expect(sessionCookieName("https://lanes.example.com")).toBe("__Secure-authjs.session-token");
    expect(sessionCookieName("http://localhost:3000")).toBe("authjs.session-token");
  });

  it("reads one cookie out of a Cookie header", () => {
    expect(readCookie("a=1; authjs.session-token=abc; b=2", "authjs.session-token")).toBe("abc");
    expect(readCookie("xauthjs.session-token=no", "authjs.session-token")).toBeNull();
    expect(readCookie("authjs.session-token=a%20b", "authjs.session-token")).toBe("a b");
    expect(readCookie("authjs.session-token=%E0%A4%A", "authjs.session-token")).toBe("%E0%A4%A");
    expect(readCookie(null, "x")).toBeNull();
    expect(readCookie("", "x")).toBeNull();
  });
});
