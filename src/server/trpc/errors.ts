/**
 * Turns any thrown value into the one error shape clients see:
 * { message, code, httpStatus, requestId, fieldErrors?, details? }.
 * Never a stack, SQL or a Prisma message.
 */
import { TRPCError } from "@trpc/server";
import type { TRPC_ERROR_CODE_KEY } from "@trpc/server";
import { AppError, appErrorCodes, isAppError } from "@/server/errors";
import { isForeignKeyViolation, isRecordNotFound, isUniqueViolation } from "@/server/db/errors";
import { issuesByField, type SchemaIssue } from "@/shared/schemas/issues";

function isIssueList(value: unknown): value is { issues: SchemaIssue[] } {
  return typeof value === "object" && value !== null && Array.isArray((value as { issues?: unknown }).issues);
}

/** Known database errors that mean something to a client. */
export function appErrorFromPrisma(error: unknown): AppError | null {
  if (isRecordNotFound(error)) return AppError.notFound("Record");
  if (isUniqueViolation(error)) return AppError.conflict("That already exists");
  if (isForeignKeyViolation(error)) return AppError.conflict("Something this refers to was changed or deleted meanwhile; reload and try again");
  return null;
}

export type ClientErrorData = {
  code: TRPC_ERROR_CODE_KEY;
  httpStatus: number;
  requestId: string | null;
  fieldErrors?: Record<string, string[]>;
  details?: Record<string, unknown>;
};

/** Converts a service error to a TRPCError carrying it as the cause. */
export function toTRPCError(error: unknown): TRPCError {
  if (error instanceof TRPCError) return error;
  const app = isAppError(error) ? error : appErrorFromPrisma(error);
  if (app) return new TRPCError({ code: appErrorCodes[app.code].trpc, message: app.message, cause: app });
  return new TRPCError({ code: "INTERNAL_SERVER_ERROR", message: "Internal server error", cause: error instanceof Error ? error : undefined });
}

export function formatErrorData(error: TRPCError, httpStatus: number, requestId: string | null): { message: string; data: ClientErrorData } {
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
  // Errors tRPC raises itself (e.g. NOT_FOUND for an unknown procedure, PARSE_ERROR).
  return { message: error.message, data: { code: error.code, httpStatus, requestId } };
}
