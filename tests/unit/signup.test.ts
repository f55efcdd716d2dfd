import { describe, expect, it } from "vitest";
import { policyAdmits } from "@/server/services/auth";
import { verifiedEmail } from "@/server/auth/github";

describe("policyAdmits (SIGNUP_POLICY)", () => {
  it("open admits anyone", () => {
    expect(policyAdmits({ policy: "open", allowedDomains: [] }, "x@anywhere.test")).toBe(true);
  });
  it("invite-only admits no new address by policy alone", () => {
    expect(policyAdmits({ policy: "invite-only", allowedDomains: ["acme.com"] }, "a@acme.com")).toBe(false);
  });
  it("domains admits exactly the listed domains, case-insensitively, not lookalikes or subdomains", () => {
    const signup = { policy: "domains" as const, allowedDomains: ["acme.com", "acme.io"] };
    expect(policyAdmits(signup, "Ann@ACME.com")).toBe(true);
    expect(policyAdmits(signup, "bo@acme.io")).toBe(true);
    expect(policyAdmits(signup, "eve@evil-acme.com")).toBe(false);
    expect(policyAdmits(signup, "eve@mail.acme.com")).toBe(false);
    expect(policyAdmits(signup, "eve@acme.com.evil.test")).toBe(false);
  });
});

describe("verifiedEmail (GitHub sign-in)", () => {
  it("takes the primary address when it is verified", () => {
    expect(
      verifiedEmail([
        { email: "Old@x.test", primary: false, verified: true },
        { email: "Main@x.test", primary: true, verified: true },
      ]),
    ).toBe("main@x.test");
  });
  it("never takes an unverified address, even the primary one", () => {
    expect(
      verifiedEmail([
        { email: "ceo@victim.test", primary: true, verified: false },
        { email: "me@x.test", primary: false, verified: true },
      ]),
    ).toBe("me@x.test");
    expect(verifiedEmail([{ email: "ceo@victim.test", primary: true, verified: false }])).toBeNull();
    expect(verifiedEmail([])).toBeNull();
  });
});
