/**
 * Per-request security headers for pages (docs/decisions/0021-content-security-policy.md),
 * applied by src/proxy.ts. The constant ones, for every response, are in ./response-headers.ts.
 */

/** Two years, subdomains included: what HSTS preload lists ask for. Sent only when APP_URL is https. */
export const STRICT_TRANSPORT_SECURITY = "max-age=63072000; includeSubDomains";

export type PagePolicyOptions = {
  /** Fresh per request; lets Next's own inline scripts run and nothing else. */
  nonce: string;
  /** `next dev` needs eval (React Refresh) and a websocket for HMR. */
  development: boolean;
  /** Where images in Markdown may come from (MARKDOWN_IMAGE_SOURCES), e.g. `https://images.example.com`. */
  imageSources: readonly string[];
  /** APP_URL is https: ask the browser to upgrade any stray http subresource. */
  https: boolean;
  /**
   * Where forms may lead besides this origin. CSP applies form-action to redirects too, and the
   * "Sign in with GitHub" form answers with a redirect to github.com.
   */
  formTargets: readonly string[];
};

/**
 * The page policy. Scripts: only those carrying this request's nonce, and what they load
 * ('strict-dynamic'): an injected <script> or inline handler never runs. Styles: 'self' plus
 * inline style attributes, which React renders (drag transforms, widths) — style injection
 * cannot run code. Images: this origin, data/blob URLs, and the configured Markdown sources
 * only, so a comment cannot plant a tracking pixel that reports who read it and when.
 */
export function pageContentSecurityPolicy(options: PagePolicyOptions): string {
  const script = [
    "'self'",
    `'nonce-${options.nonce}'`,
    "'strict-dynamic'",
    ...(options.development ? ["'unsafe-eval'"] : []),
  ];
  const connect = ["'self'", ...(options.development ? ["ws:", "wss:"] : [])];
  const directives: Array<[string, string[]]> = [
    ["default-src", ["'self'"]],
    ["script-src", script],
    ["style-src", ["'self'", "'unsafe-inline'"]],
    ["img-src", ["'self'", "data:", "blob:", ...options.imageSources]],
    ["font-src", ["'self'", "data:"]],
    ["connect-src", connect],
    ["object-src", ["'none'"]],
    ["base-uri", ["'self'"]],
    ["form-action", ["'self'", ...options.formTargets]],
    ["frame-ancestors", ["'none'"]],
    ...(options.https ? ([["upgrade-insecure-requests", []]] as Array<[string, string[]]>) : []),
  ];
  return directives.map(([name, values]) => [name, ...values].join(" ")).join("; ");
}
