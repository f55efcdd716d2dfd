/**
 * The one error family services throw. Each code maps to a tRPC code and an
 * HTTP status in one table, so routers and REST handlers never translate errors.
 */
export const appErrorCodes = {
  BAD_REQUEST: { trpc: "BAD_REQUEST", http: 400 },
  UNAUTHORIZED: { trpc: "UNAUTHORIZED", http: 401 },
  FORBIDDEN: { trpc: "FORBIDDEN", http: 403 },
  NOT_FOUND: { trpc: "NOT_FOUND", http: 404 },
  CONFLICT: { trpc: "CONFLICT", http: 409 },
  PRECONDITION_FAILED: { trpc: "PRECONDITION_FAILED", http: 412 },
  TOO_MANY_REQUESTS: { trpc: "TOO_MANY_REQUESTS", http: 429 },
  /** A dependency (mail server, …) failed; the request changed nothing and can be retried. */
  UNAVAILABLE: { trpc: "SERVICE_UNAVAILABLE", http: 503 },
  INTERNAL: { trpc: "INTERNAL_SERVER_ERROR", http: 500 },
} as const;

export type AppErrorCode = keyof typeof appErrorCodes;

/** Extra, client-safe facts about an error (e.g. the current version on a conflict). */
export type AppErrorDetails = Record<string, unknown>;

export class AppError extends Error {
  readonly code: AppErrorCode;
  readonly details: AppErrorDetails | undefined;

  constructor(code: AppErrorCode, message: string, details?: AppErrorDetails) {
    super(message);
    this.name = "AppError";
    this.code = code;
    this.details = details;
  }

  static notFound(what: string): AppError {
    return new AppError("NOT_FOUND", `${what} not found`);
  }

  static forbidden(message = "You do not have permission to do that"): AppError {
    return new AppError("FORBIDDEN", message);
  }

  static conflict(message: string, details?: AppErrorDetails): AppError {
    return new AppError("CONFLICT", message, details);
  }

  static badRequest(message: string, fieldErrors?: Record<string, string[]>): AppError {
    return new AppError("BAD_REQUEST", message, fieldErrors ? { fieldErrors } : undefined);
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}
