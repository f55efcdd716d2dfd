/** How Auth.js errors are logged: a visitor's mistake is not the server's fault. */

/**
 * Auth.js errors a visitor causes, not the server: a used, expired or mistyped sign-in link, a sign-in
 * the policy refused, a form posted without its CSRF token. Logged as warnings, so error-rate alerts
 * count only what operators must act on.
 */
const VISITOR_MISTAKES: ReadonlySet<string> = new Set(["Verification", "AccessDenied", "MissingCSRF"]);

/** Auth.js' error type ("Verification", …), or "unknown" for anything else thrown. */
export function authErrorType(error: unknown): string {
  const type = typeof error === "object" && error !== null ? (error as { type?: unknown }).type : undefined;
  return typeof type === "string" ? type : "unknown";
}

/** Whether an Auth.js error is the visitor's (a warning) rather than the server's (an error). */
export function isVisitorMistake(error: unknown): boolean {
  return VISITOR_MISTAKES.has(authErrorType(error));
}
