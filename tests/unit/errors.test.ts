import { TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { Prisma } from "@/server/db/generated/client";
import { AppError, appErrorCodes, type AppErrorCode } from "@/server/errors";
import { appErrorFromPrisma, formatErrorData, toTRPCError } from "@/server/trpc/errors";
import { issuesByField } from "@/shared/schemas/issues";

function prismaError(code: string, message = "Prisma failed") {
  return new Prisma.PrismaClientKnownRequestError(message, { code, clientVersion: "7.10.0" });
}

function zodErrorFor(input: unknown) {
  const schema = z.strictObject({
    name: z.string().min(1, "Required"),
    tags: z.array(z.string().max(3, "Too long")),
    owner: z.strictObject({ email: z.email("Bad email") }),
  });
  const result = schema.safeParse(input);
  if (result.success) throw new Error("expected the input to be invalid");
  return result.error;
}

describe("issuesByField", () => {
  it("groups messages by dotted path", () => {
    expect(
      issuesByField([
        { message: "Required", path: ["name"] },
        { message: "Too long", path: ["items", 0, "title"] },
        { message: "Also bad", path: ["name"] },
      ]),
    ).toEqual({ name: ["Required", "Also bad"], "items.0.title": ["Too long"] });
  });

  it("puts issues without a path under the empty key", () => {
    expect(
      issuesByField([
        { message: "Form error" },
        { message: "Unknown key", path: [] },
        { message: "Path undefined", path: undefined },
      ]),
    ).toEqual({
      "": ["Form error", "Unknown key", "Path undefined"],
    });
  });

  it("reads Standard Schema path segments given as { key }", () => {
    expect(issuesByField([{ message: "Bad", path: [{ key: "owner" }, { key: 2 }, "email"] }])).toEqual({
      "owner.2.email": ["Bad"],
    });
  });

  it("returns an empty object for no issues", () => {
    expect(issuesByField([])).toEqual({});
  });
});

describe("formatErrorData", () => {
  it("turns a Zod error into 'Invalid input' with field errors, unknown keys under ''", () => {
    const zodError = zodErrorFor({ name: "", tags: ["ok", "toolong"], owner: { email: "nope" }, extra: 1 });
    const error = new TRPCError({ code: "BAD_REQUEST", cause: zodError });
    expect(formatErrorData(error, 400, "req-1")).toEqual({
      message: "Invalid input",
      data: {
        code: "BAD_REQUEST",
        httpStatus: 400,
        requestId: "req-1",
        fieldErrors: {
          name: ["Required"],
          "tags.1": ["Too long"],
          "owner.email": ["Bad email"],
          "": ['Unrecognized key: "extra"'],
        },
      },
    });
  });

  it("uses an AppError's message and field errors", () => {
    const app = AppError.badRequest("Board order needs a project", {
      sort: ["Sorting by board position needs filter.projectId"],
    });
    const error = toTRPCError(app);
    expect(formatErrorData(error, 400, null)).toEqual({
      message: "Board order needs a project",
      data: {
        code: "BAD_REQUEST",
        httpStatus: 400,
        requestId: null,
        fieldErrors: { sort: ["Sorting by board position needs filter.projectId"] },
      },
    });
  });

  it("passes an AppError's other details, apart from its field errors", () => {
    const app = new AppError("CONFLICT", "Someone else changed this task", {
      currentVersion: 4,
      fieldErrors: { title: ["Changed"] },
    });
    expect(formatErrorData(toTRPCError(app), 409, "req-2")).toEqual({
      message: "Someone else changed this task",
      data: {
        code: "CONFLICT",
        httpStatus: 409,
        requestId: "req-2",
        fieldErrors: { title: ["Changed"] },
        details: { currentVersion: 4 },
      },
    });
  });

  it("sends neither fieldErrors nor details for an AppError without details", () => {
    const formatted = formatErrorData(toTRPCError(AppError.notFound("Task")), 404, null);
    expect(formatted).toEqual({
      message: "Task not found",
      data: { code: "NOT_FOUND", httpStatus: 404, requestId: null },
    });
    expect(Object.keys(formatted.data)).toEqual(["code", "httpStatus", "requestId"]);
  });

  it("never leaks the message or cause of an internal error", () => {
    const cause = new Error('Invalid `prisma.task.findMany()` invocation: SELECT * FROM secret WHERE token = "abc"');
    const error = new TRPCError({
      code: "INTERNAL_SERVER_ERROR",
      message: "query failed: SELECT * FROM secret",
      cause,
    });
    const formatted = formatErrorData(error, 500, "req-3");
    expect(formatted).toEqual({
      message: "Internal server error",
      data: { code: "INTERNAL_SERVER_ERROR", httpStatus: 500, requestId: "req-3" },
    });
    expect(JSON.stringify(formatted)).not.toContain("secret");
    expect(JSON.stringify(formatted)).not.toContain("SELECT");
  });

  it("hides an unexpected error after toTRPCError", () => {
    const formatted = formatErrorData(toTRPCError(new Error("connect ECONNREFUSED SELECT * FROM secret")), 500, null);
    expect(formatted).toEqual({
      message: "Internal server error",
      data: { code: "INTERNAL_SERVER_ERROR", httpStatus: 500, requestId: null },
    });
  });

  it("hides the raw message of an unmapped Prisma error", () => {
    const formatted = formatErrorData(
      toTRPCError(prismaError("P2010", "Raw query failed: SELECT * FROM secret")),
      500,
      null,
    );
    expect(formatted.message).toBe("Internal server error");
    expect(JSON.stringify(formatted)).not.toContain("secret");
  });

  it("does not leak the raw message of a mapped Prisma error", () => {
    const formatted = formatErrorData(
      toTRPCError(prismaError("P2002", "Unique constraint failed on SELECT * FROM secret")),
      409,
      null,
    );
    expect(formatted).toEqual({
      message: "That already exists",
      data: { code: "CONFLICT", httpStatus: 409, requestId: null },
    });
  });

  it("keeps the message of errors tRPC raises itself", () => {
    const error = new TRPCError({ code: "NOT_FOUND", message: 'No procedure found on path "task.nope"' });
    expect(formatErrorData(error, 404, null)).toEqual({
      message: 'No procedure found on path "task.nope"',
      data: { code: "NOT_FOUND", httpStatus: 404, requestId: null },
    });
  });

  it("does not treat a BAD_REQUEST without issues as a validation error", () => {
    const error = new TRPCError({ code: "BAD_REQUEST", message: "Malformed JSON" });
    expect(formatErrorData(error, 400, null)).toEqual({
      message: "Malformed JSON",
      data: { code: "BAD_REQUEST", httpStatus: 400, requestId: null },
    });
  });
});

describe("toTRPCError", () => {
  const codes = Object.keys(appErrorCodes) as AppErrorCode[];

  it.each(codes)("maps AppError %s to its tRPC code and HTTP status", (code) => {
    const app = new AppError(code, `failure ${code}`);
    const error = toTRPCError(app);
    expect(error).toBeInstanceOf(TRPCError);
    expect(error.code).toBe(appErrorCodes[code].trpc);
    expect(error.message).toBe(`failure ${code}`);
    expect(error.cause).toBe(app);
    expect(getHTTPStatusCodeFromError(error)).toBe(appErrorCodes[code].http);
  });

  it("returns a TRPCError unchanged", () => {
    const error = new TRPCError({ code: "FORBIDDEN", message: "no" });
    expect(toTRPCError(error)).toBe(error);
  });

  it("maps Prisma P2025 to NOT_FOUND", () => {
    const error = toTRPCError(
      prismaError(
        "P2025",
        "An operation failed because it depends on one or more records that were required but not found.",
      ),
    );
    expect(error.code).toBe("NOT_FOUND");
    expect(error.message).toBe("Record not found");
    expect(error.cause).toBeInstanceOf(AppError);
    expect(getHTTPStatusCodeFromError(error)).toBe(404);
  });

  it("maps Prisma P2002 to CONFLICT", () => {
    const error = toTRPCError(prismaError("P2002", "Unique constraint failed on the fields: (`slug`)"));
    expect(error.code).toBe("CONFLICT");
    expect(error.message).toBe("That already exists");
    expect(getHTTPStatusCodeFromError(error)).toBe(409);
  });

  it("maps other Prisma errors and unknown errors to INTERNAL_SERVER_ERROR", () => {
    const prisma = prismaError("P2010");
    const fromPrisma = toTRPCError(prisma);
    expect(fromPrisma.code).toBe("INTERNAL_SERVER_ERROR");
    expect(fromPrisma.message).toBe("Internal server error");
    expect(fromPrisma.cause).toBe(prisma);

    const plain = new Error("boom");
    expect(toTRPCError(plain)).toMatchObject({
      code: "INTERNAL_SERVER_ERROR",
      message: "Internal server error",
      cause: plain,
    });

    const fromString = toTRPCError("thrown string");
    expect(fromString.code).toBe("INTERNAL_SERVER_ERROR");
    expect(fromString.message).toBe("Internal server error");
    expect(fromString.cause).toBeUndefined();
  });
});

describe("database failures", () => {
  function withAdapterCause(code: string, cause: Record<string, unknown>) {
    return new Prisma.PrismaClientKnownRequestError("Invalid `prisma.x()` invocation: SELECT secret", {
      code,
      clientVersion: "7.10.0",
      meta: { driverAdapterError: { name: "DriverAdapterError", cause } },
    });
  }

  it.each([
    [
      "P2028: a transaction could not start in time (pool exhausted)",
      prismaError("P2028", "Transaction API error: Unable to start a transaction in the given time."),
    ],
    ["P1001: the server is unreachable", prismaError("P1001")],
    ["P2024: timed out waiting for a pool connection", prismaError("P2024")],
    ["P2034: write conflict or deadlock", prismaError("P2034")],
    [
      "57014: statement timeout",
      withAdapterCause("P2010", {
        kind: "postgres",
        code: "57014",
        originalCode: "57014",
        message: "canceling statement due to statement timeout",
      }),
    ],
    ["57P01: the server is shutting down", withAdapterCause("P2010", { kind: "postgres", code: "57P01" })],
    [
      "P2039 wrapping 57P01: the connection was terminated",
      withAdapterCause("P2039", { kind: "postgres", code: "57P01", originalCode: "57P01", severity: "FATAL" }),
    ],
    [
      "P2039 wrapping a FATAL 55000: the database does not accept connections",
      withAdapterCause("P2039", { kind: "postgres", code: "55000", originalCode: "55000", severity: "FATAL" }),
    ],
    ["53300: too many connections", withAdapterCause("P2010", { kind: "TooManyConnections" })],
    ["40P01: deadlock", withAdapterCause("P2010", { kind: "TransactionWriteConflict" })],
    ["the connection was closed", withAdapterCause("P2010", { kind: "ConnectionClosed" })],
    ["an initialization error", new Prisma.PrismaClientInitializationError("Can't reach database server", "7.10.0")],
    [
      "the pool's connect timeout",
      new Prisma.PrismaClientUnknownRequestError("timeout exceeded when trying to connect", {
        clientVersion: "7.10.0",
      }),
    ],
    [
      "the pool's connect timeout, unwrapped (as Prisma passes it through)",
      new Error("timeout exceeded when trying to connect"),
    ],
  ])("%s → 503 SERVICE_UNAVAILABLE with a retry time", (_, error) => {
    const trpc = toTRPCError(error);
    expect(trpc.code).toBe("SERVICE_UNAVAILABLE");
    expect(getHTTPStatusCodeFromError(trpc)).toBe(503);
    const formatted = formatErrorData(trpc, 503, null);
    expect(formatted.data.details).toEqual({ retryAfterSeconds: expect.any(Number) });
    expect(JSON.stringify(formatted)).not.toMatch(/SELECT|secret|prisma|timeout exceeded/i);
  });

  it.each([
    [
      "P2039: NUL in text (invalid byte sequence)",
      withAdapterCause("P2039", { kind: "postgres", code: "22021", originalCode: "22021" }),
    ],
    ["P2020: an integer out of range", withAdapterCause("P2020", { kind: "ValueOutOfRange" })],
    ["22007: a bad datetime", withAdapterCause("P2010", { kind: "postgres", code: "22007" })],
  ])("%s → 400 BAD_REQUEST, never 500", (_, error) => {
    const trpc = toTRPCError(error);
    expect(trpc.code).toBe("BAD_REQUEST");
    expect(JSON.stringify(formatErrorData(trpc, 400, null))).not.toMatch(/SELECT|secret|22021/);
  });

  it("leaves unrelated failures as 500s (a plain Error mentioning ECONNREFUSED is not the database)", () => {
    expect(toTRPCError(new Error("connect ECONNREFUSED 127.0.0.1:587")).code).toBe("INTERNAL_SERVER_ERROR");
    expect(toTRPCError(withAdapterCause("P2010", { kind: "postgres", code: "42601" })).code).toBe(
      "INTERNAL_SERVER_ERROR",
    );
    // Prisma's generic P2039 around a syntax error is still a bug, not bad input.
    expect(
      toTRPCError(
        withAdapterCause("P2039", { kind: "postgres", code: "42601", originalCode: "42601", severity: "ERROR" }),
      ).code,
    ).toBe("INTERNAL_SERVER_ERROR");
  });

  it("hides the decoder's own message when tRPC wraps a decoding failure", () => {
    const error = new TRPCError({
      code: "BAD_REQUEST",
      message: "Maximum call stack size exceeded",
      cause: new RangeError("Maximum call stack size exceeded"),
    });
    expect(formatErrorData(error, 400, null).message).toBe("The request could not be decoded");
    const json = new TRPCError({
      code: "BAD_REQUEST",
      message: "Unexpected token } in JSON at position 3",
      cause: new SyntaxError("Unexpected token"),
    });
    expect(formatErrorData(json, 400, null).message).toBe("The request is not valid JSON");
  });
});

describe("appErrorFromPrisma", () => {
  it("knows P2025, P2002 and P2003 only", () => {
    expect(appErrorFromPrisma(prismaError("P2025"))).toMatchObject({ code: "NOT_FOUND", message: "Record not found" });
    expect(appErrorFromPrisma(prismaError("P2002"))).toMatchObject({
      code: "CONFLICT",
      message: "That already exists",
    });
    expect(appErrorFromPrisma(prismaError("P2003"))).toMatchObject({ code: "CONFLICT" });
    expect(appErrorFromPrisma(prismaError("P2010"))).toBeNull();
    expect(appErrorFromPrisma(new Error("P2025"))).toBeNull();
    expect(appErrorFromPrisma({ code: "P2025" })).toBeNull();
  });
});
