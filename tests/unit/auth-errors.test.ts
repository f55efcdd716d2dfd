import { describe, expect, it } from "vitest";
import { AccessDenied, CallbackRouteError, MissingCSRF, Verification } from "@auth/core/errors";
import { authErrorType, isVisitorMistake } from "@/server/auth/errors";

describe("Auth.js errors in the log", () => {
  it("calls a visitor's mistake a warning: a dead sign-in link, a refused sign-in, a missing CSRF token", () => {
    for (const error of [new Verification(), new AccessDenied("closed"), new MissingCSRF()])
      expect(isVisitorMistake(error), authErrorType(error)).toBe(true);
  });

  it("keeps everything else an error", () => {
    expect(isVisitorMistake(new CallbackRouteError())).toBe(false);
    expect(isVisitorMistake(new Error("boom"))).toBe(false);
    expect(isVisitorMistake(null)).toBe(false);
    expect(authErrorType(new Verification())).toBe("Verification");
    expect(authErrorType("text")).toBe("unknown");
  });
});
