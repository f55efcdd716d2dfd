import { describe, expect, it } from "vitest";
import { repairPathEncoding } from "@/server/http/url";

describe("repairPathEncoding", () => {
  it("leaves valid paths and queries alone", () => {
    expect(repairPathEncoding("/api/trpc/task.list?input=%7B%7D")).toBe("/api/trpc/task.list?input=%7B%7D");
    expect(repairPathEncoding("/w/acme/tasks/WEB-1")).toBe("/w/acme/tasks/WEB-1");
  });

  it("escapes the % of segments that do not decode, so they decode to what was sent", () => {
    expect(repairPathEncoding("/api/trpc/%E2%82?x=%zz")).toBe("/api/trpc/%25E2%2582?x=%zz");
    expect(decodeURIComponent(repairPathEncoding("/api/%zz"))).toBe("/api/%zz");
  });
});
