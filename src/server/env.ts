/**
 * All configuration, validated once at start. A missing or invalid variable
 * stops the process with a message naming it. `.env.example` documents each one.
 */
import { z } from "zod";
import { parseEncryptionKeys } from "@/server/crypto/keys";
import { IMAGE_SOURCE_PATTERN } from "@/shared/image-policy";

const DEV_AUTH_SECRET = "lanes-development-secret-do-not-use-in-production";

const booleanString = z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1");

/** localhost, 127.0.0.0/8 or ::1: reachable from this machine only. */
export function isLoopbackHost(host: string): boolean {
  const name = host.toLowerCase().replace(/^\[(.*)\]$/, "$1");
  return name === "localhost" || name === "::1" || /^127(\.\d{1,3}){3}$/.test(name);
}

/**
 * The dev mailbox shows every sign-in link. In a production build it is only
 * allowed when the app's public URL is on this machine (`npm run app`, browser
 * tests): links in it then work nowhere else. The launcher also refuses to
 * bind such a server to a non-loopback interface (scripts/lanes.ts).
 */
export function isLoopbackUrl(url: string): boolean {
  try {
    return isLoopbackHost(new URL(url).hostname);
  } catch {
    return false;
  }
}

const schema = z
  .object({
    NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
    /** PostgreSQL URL. The launcher (scripts/lanes.ts) points it at the embedded database when not configured. */
    DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }),
    /** Connections in the app's pool. */
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
    /** A statement running longer is cancelled (and answered 503, retryable). */
    DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
    /** Waiting longer for a free connection answers 503 with Retry-After. */
    DATABASE_POOL_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(5_000),
    /**
     * Read replicas (comma-separated PostgreSQL URLs of streaming standbys): query procedures read
     * from them, everything else uses DATABASE_URL (docs/decisions/0044-read-replicas.md).
     */
    DATABASE_REPLICA_URLS: z
      .string()
      .transform((list) => list.split(/[\s,]+/).filter(Boolean))
      .pipe(z.array(z.url({ protocol: /^postgres(ql)?$/, error: "not a postgresql:// URL" })))
      .default([]),
    /** After someone writes, their reads stay on the primary this long (read-your-writes across replica lag). */
    DATABASE_REPLICA_STICKY_SECONDS: z.coerce.number().int().min(1).max(3_600).default(5),
    /** Public base URL of the app, used in emails and by Auth.js. */
    APP_URL: z.url().optional(),
    AUTH_SECRET: z.string().min(32, "must be at least 32 characters (try: openssl rand -base64 32)").optional(),
    AUTH_GITHUB_ID: z.string().min(1).optional(),
    AUTH_GITHUB_SECRET: z.string().min(1).optional(),
    /** `mailbox`: captured at /dev/mailbox (dev/test); `smtp`: sent through SMTP_URL; `log`: only logged. */
    MAIL_TRANSPORT: z.enum(["mailbox", "smtp", "log"]).optional(),
    SMTP_URL: z.url({ protocol: /^smtps?$/ }).optional(),
    MAIL_FROM: z.string().min(3).default("Lanes <no-reply@lanes.local>"),
    /** TCP Redis for rate limits and the cache; or Upstash REST below (limits only). Neither: per-process memory. */
    REDIS_URL: z.url({ protocol: /^rediss?$/ }).optional(),
    UPSTASH_REDIS_REST_URL: z.url().optional(),
    UPSTASH_REDIS_REST_TOKEN: z.string().min(1).optional(),
    /** Turn rate limiting off entirely (benchmarks). Refused in production unless APP_URL is on this machine. */
    RATE_LIMIT_DISABLED: booleanString.default(false),
    /**
     * inline: this server process also runs the background jobs (the default: one process is a whole
     * Lanes). off: it only enqueues them, and `npm run worker` processes run them.
     */
    JOB_WORKERS: z.enum(["inline", "off"]).default("inline"),
    /**
     * Keys that encrypt stored secrets (webhook signing secrets): "id:base64-of-32-bytes", comma-separated;
     * the first encrypts, all decrypt (rotation: docs/webhooks.md). Default: one derived from AUTH_SECRET.
     */
    ENCRYPTION_KEYS: z
      .string()
      .optional()
      .superRefine((value, ctx) => {
        if (value === undefined) return;
        try {
          parseEncryptionKeys(value);
        } catch (error) {
          ctx.addIssue({ code: "custom", message: (error as Error).message });
        }
      }),
    /**
     * Webhook targets allowed although private (loopback, LAN, link-local): hosts, IPs or CIDR ranges,
     * comma-separated, e.g. `localhost,10.1.0.0/16`. Default: none — a webhook cannot reach inside.
     */
    WEBHOOK_ALLOWED_TARGETS: z
      .string()
      .transform((list) => list.split(/[\s,]+/).filter(Boolean))
      .pipe(z.array(z.string().max(255)))
      .default([]),
    /** RabbitMQ to publish every domain event to (docs/events.md); unset: no event bus. */
    AMQP_URL: z.url({ protocol: /^amqps?$/ }).optional(),
    /** The topic exchange events go to (declared durable if missing); routing key: the event type. */
    AMQP_EXCHANGE: z
      .string()
      .regex(/^[A-Za-z0-9._:-]{1,127}$/, "letters, digits, . _ : - only")
      .default("lanes.events"),
    /** Read sessions, memberships and API keys from PostgreSQL on every request (benchmarks, diagnosis). */
    CACHE_DISABLED: booleanString.default(false),
    /**
     * Where images in Markdown may be loaded from, space-separated CSP sources such as
     * `https://images.example.com https://*.githubusercontent.com` (or `https:` for any). Default:
     * none — a remote image in a comment would tell its owner who read it and when.
     */
    MARKDOWN_IMAGE_SOURCES: z
      .string()
      .transform((list) => list.split(/[\s,]+/).filter(Boolean))
      .pipe(
        z.array(z.string().regex(IMAGE_SOURCE_PATTERN, "use CSP sources like https://images.example.com or https:")),
      )
      .default([]),
    /**
     * Operators of this Lanes installation (comma-separated emails): they see the job queue of every
     * workspace at /admin/jobs and retry failed jobs. Workspace roles never grant this.
     */
    ADMIN_EMAILS: z
      .string()
      .transform((list) =>
        list
          .split(",")
          .map((e) => e.trim().toLowerCase())
          .filter(Boolean),
      )
      .pipe(z.array(z.email("not an email address")))
      .default([]),
    /** Who may create an account: anyone, only invited addresses, or addresses at SIGNUP_ALLOWED_DOMAINS (and invited ones). */
    SIGNUP_POLICY: z.enum(["open", "invite-only", "domains"]).default("open"),
    /** Comma-separated email domains for SIGNUP_POLICY=domains, e.g. `acme.com,acme.io`. */
    SIGNUP_ALLOWED_DOMAINS: z
      .string()
      .transform((list) =>
        list
          .split(",")
          .map((d) => d.trim().toLowerCase())
          .filter(Boolean),
      )
      .pipe(z.array(z.string().regex(/^[a-z0-9.-]+\.[a-z]{2,}$/, "not a domain like acme.com")))
      .default([]),
    /**
     * Reverse proxies in front of Lanes that append to X-Forwarded-For (0: none, the client is the
     * socket peer). Decides the client address per-IP limits use (docs/decisions/0020-client-ip.md).
     */
    TRUSTED_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
    /** Or: a header your proxy sets to the client address (e.g. `cf-connecting-ip`, `x-real-ip`). */
    TRUSTED_PROXY_HEADER: z
      .string()
      .regex(/^[A-Za-z0-9-]+$/, "a header name like x-real-ip")
      .transform((h) => h.toLowerCase())
      .optional(),
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
    /** Prometheus may read /api/metrics with `Authorization: Bearer <this>`; unset: /api/metrics answers 404. */
    METRICS_TOKEN: z.string().min(16, "use at least 16 characters").optional(),
    /** Also serve metrics without a token at http://<host>:<this>/metrics: a port only the scraper can reach. */
    METRICS_PORT: z.coerce.number().int().min(1).max(65_535).optional(),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === "production" && !env.AUTH_SECRET) {
      ctx.addIssue({ code: "custom", path: ["AUTH_SECRET"], message: "is required in production" });
    }
    if (env.NODE_ENV === "production" && !env.APP_URL) {
      ctx.addIssue({
        code: "custom",
        path: ["APP_URL"],
        message: "is required in production (links in emails point to it)",
      });
    }
    if (env.MAIL_TRANSPORT === "smtp" && !env.SMTP_URL) {
      ctx.addIssue({ code: "custom", path: ["SMTP_URL"], message: "is required when MAIL_TRANSPORT=smtp" });
    }
    if (
      env.NODE_ENV === "production" &&
      env.MAIL_TRANSPORT === "mailbox" &&
      !(env.APP_URL && isLoopbackUrl(env.APP_URL))
    ) {
      ctx.addIssue({
        code: "custom",
        path: ["MAIL_TRANSPORT"],
        message:
          "mailbox in production only when APP_URL is on this machine (localhost, 127.0.0.1 or [::1]); configure SMTP_URL",
      });
    }
    if (Boolean(env.AUTH_GITHUB_ID) !== Boolean(env.AUTH_GITHUB_SECRET)) {
      ctx.addIssue({
        code: "custom",
        path: ["AUTH_GITHUB_SECRET"],
        message: "set both AUTH_GITHUB_ID and AUTH_GITHUB_SECRET, or neither",
      });
    }
    if (env.NODE_ENV === "production" && env.RATE_LIMIT_DISABLED && !(env.APP_URL && isLoopbackUrl(env.APP_URL))) {
      ctx.addIssue({
        code: "custom",
        path: ["RATE_LIMIT_DISABLED"],
        message: "is refused in production (only a server on this machine, e.g. a benchmark, may run without limits)",
      });
    }
    if (env.SIGNUP_POLICY === "domains" && env.SIGNUP_ALLOWED_DOMAINS.length === 0) {
      ctx.addIssue({
        code: "custom",
        path: ["SIGNUP_ALLOWED_DOMAINS"],
        message: "is required when SIGNUP_POLICY=domains",
      });
    }
    if (env.TRUSTED_PROXY_HEADER && env.TRUSTED_PROXY_HOPS > 0) {
      ctx.addIssue({
        code: "custom",
        path: ["TRUSTED_PROXY_HEADER"],
        message: "set TRUSTED_PROXY_HOPS or TRUSTED_PROXY_HEADER, not both",
      });
    }
    if (Boolean(env.UPSTASH_REDIS_REST_URL) !== Boolean(env.UPSTASH_REDIS_REST_TOKEN)) {
      ctx.addIssue({
        code: "custom",
        path: ["UPSTASH_REDIS_REST_TOKEN"],
        message: "set both UPSTASH_REDIS_REST_URL and UPSTASH_REDIS_REST_TOKEN, or neither",
      });
    }
  })
  .transform((env) => ({
    ...env,
    AUTH_SECRET: env.AUTH_SECRET ?? DEV_AUTH_SECRET,
    APP_URL: env.APP_URL ?? "http://localhost:3000",
    // Mail defaults: SMTP when configured, else the dev mailbox outside production.
    MAIL_TRANSPORT: env.MAIL_TRANSPORT ?? (env.SMTP_URL ? "smtp" : env.NODE_ENV === "production" ? "log" : "mailbox"),
  }));

export type Env = z.output<typeof schema>;

/** Parses an environment; throws one error naming every bad variable. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ""));
  const result = schema.safeParse(cleaned);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  - ${i.path.join(".") || "(root)"}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join("\n")}\nSee .env.example for every variable.`);
  }
  return result.data;
}

let cached: Env | undefined;

/** The validated process environment (parsed on first use). */
export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

/** Every variable the configuration reads (deploy files are checked against it). */
export const ENV_NAMES: readonly string[] = Object.keys(schema.in.shape);
