import { describe, expect, it } from "vitest";
import { MENTION_PATTERN } from "@/shared/mentions";
import { defaultNameFromEmail, handleFromEmail } from "@/server/services/users";

describe("handleFromEmail", () => {
  it("uses the local part", () => {
    expect(handleFromEmail("bob@example.com")).toBe("bob");
    expect(handleFromEmail("r2d2@example.com")).toBe("r2d2");
  });

  it("drops plus-addressing and turns dots into hyphens", () => {
    expect(handleFromEmail("Alice.Smith+work@x.io")).toBe("alice-smith");
    expect(handleFromEmail("bob+lanes+test@example.com")).toBe("bob");
    expect(handleFromEmail("a.b.c@example.com")).toBe("a-b-c");
  });

  it("lowercases", () => {
    expect(handleFromEmail("BOB@EXAMPLE.COM")).toBe("bob");
    expect(handleFromEmail("MaryJane@example.com")).toBe("maryjane");
  });

  it("collapses runs of other characters and trims hyphens at both ends", () => {
    expect(handleFromEmail("..john__doe..@example.com")).toBe("john-doe");
    expect(handleFromEmail("-x-y-@example.com")).toBe("x-y");
    expect(handleFromEmail("o'brien@example.com")).toBe("o-brien");
  });

  it("pads very short local parts", () => {
    expect(handleFromEmail("j@example.com")).toBe("user-j");
    expect(handleFromEmail("7@example.com")).toBe("user-7");
    expect(handleFromEmail("jo@example.com")).toBe("jo");
    expect(handleFromEmail("j+tag@example.com")).toBe("user-j");
  });

  it("falls back to user when nothing usable is left", () => {
    expect(handleFromEmail("+tag@example.com")).toBe("user");
    expect(handleFromEmail("...@example.com")).toBe("user");
    expect(handleFromEmail("@example.com")).toBe("user");
  });

  it("drops non-ascii letters", () => {
    expect(handleFromEmail("josé@example.com")).toBe("jos");
    expect(handleFromEmail("ünal@example.com")).toBe("nal");
    expect(handleFromEmail("zoë.lee@example.com")).toBe("zo-lee");
    expect(handleFromEmail("李雷@example.com")).toBe("user");
    expect(handleFromEmail("é@example.com")).toBe("user");
  });

  it("keeps at most 24 characters", () => {
    expect(handleFromEmail(`${"a".repeat(40)}@example.com`)).toBe("a".repeat(24));
  });

  it("does not end with a hyphen after truncation", () => {
    // 23 letters, a dot, more letters: the hyphen lands at index 23 and survives slice(0, 24).
    expect(handleFromEmail("abcdefghijklmnopqrstuvw.xyz@example.com")).toBe("abcdefghijklmnopqrstuvw");
  });

  it("always produces a handle that @mentions can match", () => {
    const emails = [
      "Alice.Smith+work@x.io",
      "j@x.io",
      "+tag@x.io",
      "josé@x.io",
      "李雷@x.io",
      `${"b".repeat(50)}@x.io`,
      "x_y@x.io",
    ];
    for (const email of emails) {
      const handle = handleFromEmail(email);
      expect(handle).toMatch(/^[a-z0-9][a-z0-9-]{1,29}$/);
      expect([...`@${handle}`.matchAll(MENTION_PATTERN)].map((m) => m[2])).toEqual([handle]);
    }
  });
});

describe("defaultNameFromEmail", () => {
  it("is the local part, unchanged", () => {
    expect(defaultNameFromEmail("Alice.Smith+work@x.io")).toBe("Alice.Smith+work");
    expect(defaultNameFromEmail("BOB@EXAMPLE.COM")).toBe("BOB");
    expect(defaultNameFromEmail("j@example.com")).toBe("j");
    expect(defaultNameFromEmail("josé@example.com")).toBe("josé");
  });

  it("is the whole string when there is no @", () => {
    expect(defaultNameFromEmail("no-at-sign")).toBe("no-at-sign");
  });
});
