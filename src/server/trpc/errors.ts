/**
 * Turns any thrown value into the one error shape clients see:
 * { message, code, httpStatus, requestId, fieldErrors?, details? }.
 * Never a stack, SQL or a Prisma message.
 */
import { TRPCError } from "@trpc/server";
import type { TRPC_ERROR_CODE_KEY } from "@trpc/server";
import { AppError, appErrorCodes, isAppError } from "@/server/errors";
import { classifyDatabaseError, isForeignKeyViolation, isRecordNotFound, isUniqueViolation } from "@/server/db/errors";
import { issuesByField, type SchemaIssue } from "@/shared/schemas/issues";

function isIssueList(value: unknown): value is { issues: SchemaIssue[] } {
  return typeof value === "object" && value !== null && Array.isArray((value as { issues?: unknown }).issues);
}

/** Seconds a client should wait before retrying a request the database could not serve. */
export const DATABASE_RETRY_AFTER_SECONDS = 2;

/** Known database errors that mean something to a client. */
export function appErrorFromPrisma(error: unknown): AppError | null {
  if (isRecordNotFound(error)) return AppError.notFound("Record");
  if (isUniqueViolation(error)) return AppError.conflict("That already exists");
  if (isForeignKeyViolation(error))
    return AppError.conflict("Something this refers to was changed or deleted meanwhile; reload and try again");
  switch (classifyDatabaseError(error)) {
    case "unavailable":
      return new AppError("UNAVAILABLE", "The service is busy right now; nothing was changed. Try again in a moment.", {
        retryAfterSeconds: DATABASE_RETRY_AFTER_SECONDS,
      });
    case "invalid-value":
      return AppError.badRequest(
        "A value in the request cannot be stored (invalid characters, or a number or date out of range)",
      );
    case null:
      return null;
  }
}

export type ClientErrorData = {
  code: TRPC_ERROR_CODE_KEY;
  httpStatus: number;
  requestId: string | null;
  fieldErrors?: Record<string, string[]>;
  /** `retryAfterSeconds` (also sent as Retry-After) on 429 and 503: when trying again can succeed. */
  details?: { retryAfterSeconds?: number } & Record<string, unknown>;
};

/** Converts a service error to a TRPCError carrying it as the cause. */
export function toTRPCError(error: unknown): TRPCError {
  if (error instanceof TRPCError) return error;
  const app = isAppError(error) ? error : appErrorFromPrisma(error);
  if (app) return new TRPCError({ code: appErrorCodes[app.code].trpc, message: app.message, cause: app });
  return new TRPCError({
    code: "INTERNAL_SERVER_ERROR",
    message: "Internal server error",
    cause: error instanceof Error ? error : undefined,
  });
}

export function formatErrorData(
  error: TRPCError,
  httpStatus: number,
  requestId: string | null,
): { message: string; data: ClientErrorData } {
  const cause: unknown = error.cause;
  if (error.code === "BAD_REQUEST" && isIssueList(cause)) {
    const fieldErrors = issuesByField(cause.issues);
    return { message: "Invalid input", data: { code: error.code, httpStatus, requestId, fieldErrors } };
  }
  if (isAppError(cause)) {
    const { fieldErrors, ...details } = cause.details ?? {};
    return {
      message: cause.message,
      data: {
        code: error.code,
        httpStatus,
        requestId,
        ...(fieldErrors ? { fieldErrors: fieldErrors as Record<string, string[]> } : {}),
        ...(Object.keys(details).length ? { details } : {}),
      },
    };
  }
  if (error.code === "INTERNAL_SERVER_ERROR") {
    return { message: "Internal server error", data: { code: error.code, httpStatus, requestId } };
  }
  if (cause !== undefined && (error.code === "BAD_REQUEST" || error.code === "PARSE_ERROR")) {
    // tRPC wraps whatever failed while decoding the request (JSON.parse, the transformer) with that
    // error's own message, e.g. "Maximum call stack size exceeded": say what happened, not how.
    const message = cause instanceof SyntaxError ? "The request is not valid JSON" : "The request could not be decoded";
    return { message, data: { code: error.code, httpStatus, requestId } };
  }
  // Errors tRPC raises itself (e.g. NOT_FOUND for an unknown procedure, PARSE_ERROR).
  return { message: error.message, data: { code: error.code, httpStatus, requestId } };
}
