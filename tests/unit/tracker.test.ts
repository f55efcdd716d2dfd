import { describe, expect, it } from "vitest";
import { formatTaskRef, parseTaskRef } from "@/shared/tracker";

describe("formatTaskRef", () => {
  it("joins the project key and number", () => {
    expect(formatTaskRef("WEB", 42)).toBe("WEB-42");
    expect(formatTaskRef("A1", 1)).toBe("A1-1");
  });
});

describe("parseTaskRef", () => {
  it("parses a reference", () => {
    expect(parseTaskRef("WEB-42")).toEqual({ key: "WEB", number: 42 });
    expect(parseTaskRef("OPS2-123456789")).toEqual({ key: "OPS2", number: 123456789 });
  });

  it("trims and uppercases", () => {
    expect(parseTaskRef("  web-7 \n")).toEqual({ key: "WEB", number: 7 });
  });

  it("reads leading zeros as a number", () => {
    expect(parseTaskRef("WEB-0042")).toEqual({ key: "WEB", number: 42 });
  });

  it("accepts keys of 2 to 10 characters and numbers of 1 to 9 digits", () => {
    expect(parseTaskRef("AB-1")).toEqual({ key: "AB", number: 1 });
    expect(parseTaskRef("ABCDEFGHIJ-1")).toEqual({ key: "ABCDEFGHIJ", number: 1 });
    expect(parseTaskRef("A-1")).toBeNull();
    expect(parseTaskRef("ABCDEFGHIJK-1")).toBeNull();
    expect(parseTaskRef("WEB-1234567890")).toBeNull();
  });

  it("returns null for anything else", () => {
    for (const bad of [
      "",
      "WEB",
      "WEB-",
      "WEB42",
      "42",
      "-42",
      "1WEB-2",
      "WEB-4x",
      "WEB 42",
      "fix login page",
      "WEB-42 and more",
    ]) {
      expect(parseTaskRef(bad)).toBeNull();
    }
  });

  it("round-trips with formatTaskRef", () => {
    for (const [key, n] of [
      ["WEB", 1],
      ["OPS", 999],
      ["Q2X", 123456789],
    ] as const) {
      expect(parseTaskRef(formatTaskRef(key, n))).toEqual({ key, number: n });
    }
  });
});
