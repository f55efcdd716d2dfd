/** Recognizing database errors by meaning, in one place. */
import { Prisma } from "./generated/client";

function knownError(error: unknown): Prisma.PrismaClientKnownRequestError | null {
  return error instanceof Prisma.PrismaClientKnownRequestError ? error : null;
}

/** A unique constraint was violated (optionally: one involving `field`). */
export function isUniqueViolation(error: unknown, field?: string): boolean {
  const known = knownError(error);
  if (known?.code !== "P2002") return false;
  return field === undefined || JSON.stringify(known.meta ?? {}).includes(field);
}

/** The row to update or delete was not there. */
export function isRecordNotFound(error: unknown): boolean {
  return knownError(error)?.code === "P2025";
}

/** A referenced row disappeared meanwhile (e.g. a label deleted while being assigned). */
export function isForeignKeyViolation(error: unknown): boolean {
  return knownError(error)?.code === "P2003";
}

/** A table the statement names does not exist (SQLSTATE 42P01), e.g. pg-boss's before its first start. */
export function isUndefinedTable(error: unknown): boolean {
  const known = knownError(error);
  const cause = known ? adapterCause(known) : null;
  return cause?.kind === "TableDoesNotExist" || cause?.originalCode === "42P01";
}

/**
 * What a failed database call means for the caller:
 * - "unavailable": the database is busy, unreachable or cancelled the statement; nothing was
 *   committed and the same request can be retried (503 + Retry-After);
 * - "invalid-value": a value PostgreSQL cannot store or compare reached it (the input checks
 *   should have stopped it; this is the net under them, answered 400, never 500).
 */
export type DatabaseFailure = "unavailable" | "invalid-value";

/** Prisma codes: pool/transaction start timeouts, unreachable or closed server, write conflicts. */
const UNAVAILABLE_PRISMA_CODES = new Set(["P1001", "P1002", "P1008", "P1017", "P2024", "P2028", "P2034"]);
/**
 * Prisma codes for values the column cannot hold. (Not P2039: it is Prisma's generic "database
 * error" and wraps anything from a NUL byte to a terminated connection; its SQLSTATE decides.)
 */
const INVALID_VALUE_PRISMA_CODES = new Set(["P2000", "P2006", "P2007", "P2020", "P2023"]);
/** Driver-adapter error kinds (@prisma/adapter-pg) that mean "try again". */
const UNAVAILABLE_ADAPTER_KINDS = new Set([
  "TooManyConnections",
  "DatabaseNotReachable",
  "ConnectionClosed",
  "SocketTimeout",
  "TransactionWriteConflict",
]);
const INVALID_VALUE_ADAPTER_KINDS = new Set(["ValueOutOfRange", "InvalidInputValue", "LengthMismatch"]);

/**
 * SQLSTATE classes and codes: 08 connection exceptions, 53 insufficient resources,
 * 57014 query_canceled (statement_timeout), 57P0x server shutting down, 40001/40P01
 * serialization failure / deadlock, 55P03 lock_not_available (lock_timeout).
 */
function sqlStateMeans(code: string): DatabaseFailure | null {
  if (
    code.startsWith("08") ||
    code.startsWith("53") ||
    code.startsWith("57") ||
    code === "40001" ||
    code === "40P01" ||
    code === "55P03"
  )
    return "unavailable";
  // 22xxx data exceptions: bad encoding (NUL), out of range, invalid datetime or text representation.
  if (code.startsWith("22")) return "invalid-value";
  return null;
}

type AdapterCause = { kind?: unknown; code?: unknown; originalCode?: unknown; severity?: unknown };

function adapterCause(error: Prisma.PrismaClientKnownRequestError): AdapterCause | null {
  const adapter = (error.meta as { driverAdapterError?: { cause?: unknown } } | undefined)?.driverAdapterError;
  const cause = adapter?.cause;
  return cause && typeof cause === "object" ? cause : null;
}

/** Errors that node-postgres raises itself (pool wait timeout, dropped connection) before any SQL runs. */
const DRIVER_UNAVAILABLE_MESSAGES =
  /timeout exceeded when trying to connect|Connection terminated|Client has encountered a connection error|connect ECONNREFUSED|ECONNRESET/i;

const PG_POOL_MESSAGES = new Set([
  "timeout exceeded when trying to connect",
  "Connection terminated unexpectedly",
  "Connection terminated due to connection timeout",
]);

export function classifyDatabaseError(error: unknown): DatabaseFailure | null {
  if (error instanceof Prisma.PrismaClientInitializationError) return "unavailable";
  const known = knownError(error);
  if (known) {
    // The driver's own report is the most precise; Prisma's code only when there is none.
    const cause = adapterCause(known);
    if (cause) {
      if (typeof cause.kind === "string" && UNAVAILABLE_ADAPTER_KINDS.has(cause.kind)) return "unavailable";
      if (typeof cause.kind === "string" && INVALID_VALUE_ADAPTER_KINDS.has(cause.kind)) return "invalid-value";
      const code =
        typeof cause.originalCode === "string"
          ? cause.originalCode
          : typeof cause.code === "string"
            ? cause.code
            : null;
      // FATAL/PANIC end the session: whatever the code (e.g. 55000 "not accepting connections"), retry later.
      if (cause.severity === "FATAL" || cause.severity === "PANIC") return "unavailable";
      if (code) return sqlStateMeans(code);
    }
    if (UNAVAILABLE_PRISMA_CODES.has(known.code)) return "unavailable";
    if (INVALID_VALUE_PRISMA_CODES.has(known.code)) return "invalid-value";
    return null;
  }
  if (error instanceof Prisma.PrismaClientUnknownRequestError) {
    return DRIVER_UNAVAILABLE_MESSAGES.test(error.message) ? "unavailable" : null;
  }
  // node-postgres' pool rejects a query that waited connectionTimeoutMillis for a connection with
  // a plain Error, which Prisma passes through unwrapped. Matched exactly: a plain Error that merely
  // mentions a connection problem (SMTP, Redis) is not the database's.
  if (error instanceof Error && PG_POOL_MESSAGES.has(error.message)) return "unavailable";
  return null;
}
