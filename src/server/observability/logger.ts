/**
 * Structured JSON logs (pino). One line per request is written by the tRPC
 * logging middleware and the route handlers; everything carries a request id, and the trace id
 * when tracing is on.
 */
import pino from "pino";
import { trace } from "@opentelemetry/api";

// Read directly (not through env()): the logger must work before configuration is validated,
// e.g. to report that it is invalid, and in scripts that have no DATABASE_URL. env() still checks LOG_LEVEL.
const level = process.env.LOG_LEVEL ?? (process.env.NODE_ENV === "test" ? "silent" : "info");

export const logger = pino({
  level,
  base: { service: "lanes" },
  // Never log credentials, even by accident.
  redact: { paths: ["*.authorization", "*.cookie", "*.password", "*.token", "*.secret"], censor: "[redacted]" },
  timestamp: pino.stdTimeFunctions.isoTime,
  // The active trace (when tracing is on, ./tracing.ts), so a log line leads to its trace and back.
  mixin() {
    const span = trace.getActiveSpan();
    if (!span) return {};
    const { traceId, spanId } = span.spanContext();
    return { traceId, spanId };
  },
});

export type Logger = pino.Logger;
