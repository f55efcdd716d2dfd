import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { RESERVED_SLUGS, emailSchema, newSlugSchema } from "@/shared/schemas/common";
import { createTaskInput, taskPatchSchema, taskRefSchema } from "@/shared/schemas/task";
import { issuesByField } from "@/shared/schemas/issues";

/** The field errors a failed parse produces (fails the test if it parses). */
function fieldErrors(schema: z.ZodType, input: unknown): Record<string, string[]> {
  const result = schema.safeParse(input);
  if (result.success) throw new Error(`expected ${JSON.stringify(input)?.slice(0, 80)} to be rejected`);
  return issuesByField(result.error.issues);
}

describe("newSlugSchema", () => {
  it("trims and lowercases", () => {
    expect(newSlugSchema.parse("  Acme-Design  ")).toBe("acme-design");
    expect(newSlugSchema.parse("team42")).toBe("team42");
  });

  it("refuses every reserved slug, whatever its case", () => {
    for (const slug of RESERVED_SLUGS) {
      expect(newSlugSchema.safeParse(slug).success).toBe(false);
    }
    expect(fieldErrors(newSlugSchema, "admin")).toEqual({ "": ["This address is reserved"] });
    expect(fieldErrors(newSlugSchema, " API ")).toEqual({ "": ["This address is reserved"] });
  });

  it("refuses a 10,000-character slug quickly, with the length message", () => {
    const started = performance.now();
    const errors = fieldErrors(newSlugSchema, "a".repeat(10_000));
    expect(errors[""]).toContain("Use at most 48 characters");
    expect(newSlugSchema.safeParse(`${"a-".repeat(5_000)}!`).success).toBe(false);
    expect(performance.now() - started).toBeLessThan(500);
  });

  it("accepts 2 and 48 characters and refuses 1 and 49", () => {
    expect(newSlugSchema.parse("ab")).toBe("ab");
    expect(newSlugSchema.parse("a".repeat(48))).toBe("a".repeat(48));
    expect(fieldErrors(newSlugSchema, "a")).toEqual({ "": ["Use at least 2 characters"] });
    expect(fieldErrors(newSlugSchema, "a".repeat(49))).toEqual({ "": ["Use at most 48 characters"] });
  });

  it("allows only single hyphens between letters and digits", () => {
    const message = "Use lowercase letters, digits and single hyphens, e.g. acme-design";
    expect(fieldErrors(newSlugSchema, "a--b")).toEqual({ "": [message] });
    expect(fieldErrors(newSlugSchema, "-ab")).toEqual({ "": [message] });
    expect(fieldErrors(newSlugSchema, "ab-")).toEqual({ "": [message] });
    expect(fieldErrors(newSlugSchema, "a_b")).toEqual({ "": [message] });
    expect(fieldErrors(newSlugSchema, "acme design")).toEqual({ "": [message] });
    expect(fieldErrors(newSlugSchema, "café")).toEqual({ "": [message] });
  });
});

describe("emailSchema", () => {
  it("trims and lowercases", () => {
    expect(emailSchema.parse("  Alice.Smith@Example.COM ")).toBe("alice.smith@example.com");
  });

  it("refuses what is not an email", () => {
    expect(fieldErrors(emailSchema, "not-an-email")).toEqual({ "": ["Enter a valid email address"] });
    expect(fieldErrors(emailSchema, "a@b")).toEqual({ "": ["Enter a valid email address"] });
    expect(fieldErrors(emailSchema, "   ")).toEqual({ "": ["Enter a valid email address"] });
  });

  it("refuses addresses over 254 characters", () => {
    expect(fieldErrors(emailSchema, `${"a".repeat(250)}@example.com`)).toEqual({ "": ["Too long"] });
  });
});

describe("createTaskInput", () => {
  const minimal = { workspaceSlug: "acme", projectId: "p1", title: "  Fix login  " };

  it("applies defaults and trims the title", () => {
    expect(createTaskInput.parse(minimal)).toEqual({
      workspaceSlug: "acme",
      projectId: "p1",
      title: "Fix login",
      description: "",
      status: "TODO",
      priority: "NONE",
      labelIds: [],
    });
  });

  it("refuses unknown keys", () => {
    expect(fieldErrors(createTaskInput, { ...minimal, color: "red" })).toEqual({ "": ['Unrecognized key: "color"'] });
  });

  it("requires a non-blank title of at most 200 characters", () => {
    expect(fieldErrors(createTaskInput, { ...minimal, title: "   " })).toEqual({ title: ["Required"] });
    expect(fieldErrors(createTaskInput, { ...minimal, title: "x".repeat(201) })).toEqual({
      title: ["Use at most 200 characters"],
    });
  });

  it("accepts calendar due dates only", () => {
    expect(createTaskInput.parse({ ...minimal, dueDate: "2026-12-31" }).dueDate).toBe("2026-12-31");
    expect(createTaskInput.parse({ ...minimal, dueDate: "2028-02-29" }).dueDate).toBe("2028-02-29");
    expect(createTaskInput.parse({ ...minimal, dueDate: null }).dueDate).toBeNull();
    for (const bad of ["2026-12-31T00:00:00Z", "12/31/2026", "2026-1-5", "2026-02-30", "2027-02-29", "2026-13-01"]) {
      expect(fieldErrors(createTaskInput, { ...minimal, dueDate: bad })).toEqual({
        dueDate: ["Use a date like 2026-12-31"],
      });
    }
    // Real dates PostgreSQL cannot store (or that no one means) are refused, not a 500 later.
    for (const far of ["0000-01-01", "0999-12-31", "1899-12-31"]) {
      expect(fieldErrors(createTaskInput, { ...minimal, dueDate: far })).toEqual({
        dueDate: ["Use a year between 1900 and 9999"],
      });
    }
  });

  it("refuses duplicate or too many labels", () => {
    expect(fieldErrors(createTaskInput, { ...minimal, labelIds: ["l1", "l1"] })).toEqual({
      labelIds: ["Duplicate labels"],
    });
    const many = Array.from({ length: 21 }, (_, i) => `l${i}`);
    expect(fieldErrors(createTaskInput, { ...minimal, labelIds: many })).toEqual({ labelIds: ["At most 20 labels"] });
  });

  it("checks the idempotency key", () => {
    expect(createTaskInput.parse({ ...minimal, idempotencyKey: "abc:123_x.y-z" }).idempotencyKey).toBe("abc:123_x.y-z");
    expect(fieldErrors(createTaskInput, { ...minimal, idempotencyKey: "short" })).toEqual({
      idempotencyKey: ["Use at least 8 characters"],
    });
    expect(fieldErrors(createTaskInput, { ...minimal, idempotencyKey: "has spaces in it" })).toEqual({
      idempotencyKey: ["Letters, digits and _.:- only"],
    });
  });

  it("refuses an unknown status or priority", () => {
    expect(Object.keys(fieldErrors(createTaskInput, { ...minimal, status: "OPEN", priority: "high" })).sort()).toEqual([
      "priority",
      "status",
    ]);
  });
});

describe("taskPatchSchema", () => {
  it("refuses an empty patch", () => {
    expect(fieldErrors(taskPatchSchema, {})).toEqual({ "": ["Change at least one field"] });
    expect(fieldErrors(taskPatchSchema, { title: undefined })).toEqual({ "": ["Change at least one field"] });
  });

  it("refuses unknown keys", () => {
    expect(fieldErrors(taskPatchSchema, { title: "New", version: 3 })).toEqual({ "": ['Unrecognized key: "version"'] });
  });

  it("accepts a single change, including clearing with null", () => {
    expect(taskPatchSchema.parse({ title: "  New title " })).toEqual({ title: "New title" });
    expect(taskPatchSchema.parse({ dueDate: null })).toEqual({ dueDate: null });
    expect(taskPatchSchema.parse({ assigneeId: null })).toEqual({ assigneeId: null });
    expect(taskPatchSchema.parse({ description: "" })).toEqual({ description: "" });
  });

  it("checks the due date format", () => {
    expect(taskPatchSchema.parse({ dueDate: "2026-07-04" })).toEqual({ dueDate: "2026-07-04" });
    expect(fieldErrors(taskPatchSchema, { dueDate: "July 4" })).toEqual({ dueDate: ["Use a date like 2026-12-31"] });
  });
});

describe("taskRefSchema", () => {
  it("trims and uppercases", () => {
    expect(taskRefSchema.parse("  web-42 ")).toBe("WEB-42");
    expect(taskRefSchema.parse("A1-7")).toBe("A1-7");
  });

  it("refuses what is not a task reference", () => {
    const message = "A task reference looks like WEB-42";
    for (const bad of ["WEB42", "W-1", "1WEB-2", "WEB-", "-42", "WEB-4-2", "ABCDEFGHIJK-1", "WEB-1234567890", ""]) {
      expect(fieldErrors(taskRefSchema, bad)).toEqual({ "": [message] });
    }
  });
});
