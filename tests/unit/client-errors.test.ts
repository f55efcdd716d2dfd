/** What people read when a call fails: field names in their words, never input paths. */
import { TRPCClientError } from "@trpc/client";
import { describe, expect, it } from "vitest";
import type { AppRouter } from "@/server/routers/_app";
import { describeFieldErrors, fieldLabel, fieldMessages, messageOf } from "@/trpc/errors";

/** An error as the browser's tRPC client builds it from the API's answer. */
function apiError(
  message: string,
  data: { code: string; httpStatus: number; fieldErrors?: Record<string, string[]> },
): TRPCClientError<AppRouter> {
  return TRPCClientError.from<AppRouter>({ error: { message, code: -32600, data: { requestId: "req-1", ...data } } });
}

describe("messageOf", () => {
  it("names the field in words, not by its input path", () => {
    const error = apiError("Invalid input", {
      code: "BAD_REQUEST",
      httpStatus: 400,
      fieldErrors: { "patch.title": ["Use at most 200 characters"] },
    });
    expect(messageOf(error)).toBe("Title: use at most 200 characters");
    expect(messageOf(error)).not.toContain("patch");
  });

  it("joins several fields, and shows form-level and unknown fields' messages alone", () => {
    const error = apiError("Invalid input", {
      code: "BAD_REQUEST",
      httpStatus: 400,
      fieldErrors: {
        "": ['Unrecognized key: "extra"'],
        "filter.someInternalThing": ["Not allowed"],
        body: ["Write something first"],
      },
    });
    expect(messageOf(error)).toBe('Unrecognized key: "extra"; Not allowed; Comment: write something first');
  });

  it("uses the server's sentence when there are no field errors", () => {
    expect(messageOf(apiError("You do not have permission to do that", { code: "FORBIDDEN", httpStatus: 403 }))).toBe(
      "You do not have permission to do that",
    );
    expect(messageOf(new Error("Failed to fetch"))).toBe("Failed to fetch");
    expect(messageOf("weird")).toBe("Something went wrong");
  });
});

describe("field labels", () => {
  it("reads the last named segment of a path, skipping array indexes", () => {
    expect(fieldLabel("patch.title")).toBe("Title");
    expect(fieldLabel("labelIds.2")).toBe("Labels");
    expect(fieldLabel("patch.assigneeId")).toBe("Assignee");
    expect(fieldLabel("")).toBeNull();
    expect(fieldLabel("cursor")).toBeNull();
  });

  it("keeps acronyms as they are after a label", () => {
    expect(describeFieldErrors({ email: ["URL-like addresses are not allowed"] })).toBe(
      "Email address: URL-like addresses are not allowed",
    );
  });

  it("finds a field's messages whatever object holds it", () => {
    const error = apiError("Invalid input", {
      code: "BAD_REQUEST",
      httpStatus: 400,
      fieldErrors: { "patch.title": ["Required"] },
    });
    expect(fieldMessages(error, "title")).toEqual(["Required"]);
    expect(fieldMessages(error, "description")).toBeUndefined();
    expect(fieldMessages(new Error("x"), "title")).toBeUndefined();
  });
});
