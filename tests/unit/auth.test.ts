import { describe, expect, it } from "vitest";
import { hashToken, newSecretToken } from "@/server/auth/tokens";
import { safeCallbackPath } from "@/server/services/auth";

describe("newSecretToken", () => {
  it("is 43 URL-safe characters (256 bits, base64url without padding)", () => {
    const token = newSecretToken();
    expect(token).toHaveLength(43);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(token, "base64url")).toHaveLength(32);
  });

  it("is different each time", () => {
    const tokens = new Set(Array.from({ length: 100 }, () => newSecretToken()));
    expect(tokens.size).toBe(100);
  });
});

describe("hashToken", () => {
  it("is the hex SHA-256 of the token", () => {
    expect(hashToken("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(hashToken("")).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  });

  it("is stable and 64 lowercase hex characters", () => {
    const token = newSecretToken();
    expect(hashToken(token)).toBe(hashToken(token));
    expect(hashToken(token)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashToken(token)).not.toBe(hashToken(`${token}x`));
  });
});

describe("safeCallbackPath", () => {
  it("keeps same-site paths with queries and fragments", () => {
    expect(safeCallbackPath("/w/acme?x=1")).toBe("/w/acme?x=1");
    expect(safeCallbackPath("/")).toBe("/");
    expect(safeCallbackPath("/w/acme/tasks/WEB-42#comment-3")).toBe("/w/acme/tasks/WEB-42#comment-3");
  });

  it("refuses protocol-relative and absolute URLs", () => {
    expect(safeCallbackPath("//evil.com")).toBe("/");
    expect(safeCallbackPath("//evil.com/w/acme")).toBe("/");
    expect(safeCallbackPath("https://evil.com")).toBe("/");
    expect(safeCallbackPath("javascript:alert(1)")).toBe("/");
  });

  it("refuses backslash tricks browsers read as //", () => {
    expect(safeCallbackPath("/\\evil.com")).toBe("/");
    expect(safeCallbackPath("\\\\evil.com")).toBe("/");
  });

  it("refuses relative paths and the empty string", () => {
    expect(safeCallbackPath("w/acme")).toBe("/");
    expect(safeCallbackPath("")).toBe("/");
  });

  it("refuses non-strings", () => {
    expect(safeCallbackPath(undefined)).toBe("/");
    expect(safeCallbackPath(null)).toBe("/");
    expect(safeCallbackPath(42)).toBe("/");
    expect(safeCallbackPath(["/w/acme"])).toBe("/");
    expect(safeCallbackPath({ toString: () => "/w/acme" })).toBe("/");
  });

  it("refuses paths over 512 characters rather than cutting them into another path", () => {
    expect(safeCallbackPath(`/${"a".repeat(1_000)}`)).toBe("/");
    expect(safeCallbackPath(`/${"a".repeat(500)}`)).toBe(`/${"a".repeat(500)}`);
  });

  it("parses like a browser: whitespace and backslash tricks cannot reach another host", () => {
    for (const trick of ["/\t/evil.com", "/\n/evil.com", "/\\evil.com", "/\t\\evil.com", "/%09/evil.com"]) {
      const result = safeCallbackPath(trick);
      expect(result.startsWith("//"), `${JSON.stringify(trick)} → ${result}`).toBe(false);
      expect(new URL(result, "https://lanes.example").host).toBe("lanes.example");
    }
  });
});
