/**
 * Structured JSON logs (pino). One line per request is written by the tRPC
 * logging middleware and the route handlers; everything carries a request id.
 */
import pino from "pino";

// Read directly (not through env()): the logger must work before configuration is validated,
// e.g. to report that it is invalid, and in scripts that have no DATABASE_URL. env() still checks LOG_LEVEL.
const level = process.env.LOG_LEVEL ?? (process.env.NODE_ENV === "test" ? "silent" : "info");

export const logger = pino({
  level,
  base: { service: "lanes" },
  // Never log credentials, even by accident.
  redact: { paths: ["*.authorization", "*.cookie", "*.password", "*.token", "*.secret"], censor: "[redacted]" },
  timestamp: pino.stdTimeFunctions.isoTime,
});

export type Logger = pino.Logger;
