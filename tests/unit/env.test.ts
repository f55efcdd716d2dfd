import { describe, expect, it } from "vitest";
import { isLoopbackHost, isLoopbackUrl, parseEnv } from "@/server/env";

const APP_URL = "https://lanes.example.com";
const DATABASE_URL = "postgres://lanes:lanes@localhost:5432/lanes";
const SECRET = "s".repeat(32);

/** The message parseEnv throws for `source` (fails the test if it parses). */
function errorFor(source: Record<string, string | undefined>): string {
  try {
    parseEnv(source);
  } catch (error) {
    expect(error).toBeInstanceOf(Error);
    return (error as Error).message;
  }
  throw new Error("expected parseEnv to throw");
}

/** Names of the variables listed in an "Invalid configuration" message. */
function badVariables(message: string): string[] {
  return [...message.matchAll(/^ {2}- ([^:]+):/gm)].map((m) => m[1]!);
}

describe("parseEnv", () => {
  it("accepts a minimal environment and fills in defaults", () => {
    expect(parseEnv({ DATABASE_URL })).toEqual({
      NODE_ENV: "development",
      DATABASE_URL,
      DATABASE_POOL_SIZE: 10,
      DATABASE_STATEMENT_TIMEOUT_MS: 10_000,
      DATABASE_POOL_TIMEOUT_MS: 5_000,
      DATABASE_REPLICA_URLS: [],
      DATABASE_REPLICA_STICKY_SECONDS: 5,
      APP_URL: "http://localhost:3000",
      AUTH_SECRET: "lanes-development-secret-do-not-use-in-production",
      MAIL_TRANSPORT: "mailbox",
      MAIL_FROM: "Lanes <no-reply@lanes.local>",
      RATE_LIMIT_DISABLED: false,
      JOB_WORKERS: "inline",
      CACHE_DISABLED: false,
      WEBHOOK_ALLOWED_TARGETS: [],
      AMQP_EXCHANGE: "lanes.events",
      ADMIN_EMAILS: [],
      MARKDOWN_IMAGE_SOURCES: [],
      SIGNUP_POLICY: "open",
      SIGNUP_ALLOWED_DOMAINS: [],
      TRUSTED_PROXY_HOPS: 0,
      LOG_LEVEL: "info",
    });
  });

  const production = {
    DATABASE_URL,
    NODE_ENV: "production",
    AUTH_SECRET: "x".repeat(32),
    APP_URL: "https://lanes.example.com",
  };

  it("refuses RATE_LIMIT_DISABLED in production, unless the server is only on this machine (benchmarks)", () => {
    expect(() => parseEnv({ ...production, RATE_LIMIT_DISABLED: "true" })).toThrow(
      /RATE_LIMIT_DISABLED: is refused in production/,
    );
    expect(
      parseEnv({ ...production, APP_URL: "http://localhost:3100", RATE_LIMIT_DISABLED: "true" }).RATE_LIMIT_DISABLED,
    ).toBe(true);
    expect(parseEnv({ DATABASE_URL, RATE_LIMIT_DISABLED: "true" }).RATE_LIMIT_DISABLED).toBe(true);
  });

  it("reads read replicas as a list of PostgreSQL URLs, naming one that is not", () => {
    const replicas = "postgresql://r1:5432/lanes, postgres://r2:5433/lanes";
    expect(parseEnv({ DATABASE_URL, DATABASE_REPLICA_URLS: replicas })).toMatchObject({
      DATABASE_REPLICA_URLS: ["postgresql://r1:5432/lanes", "postgres://r2:5433/lanes"],
    });
    expect(
      badVariables(errorFor({ DATABASE_URL, DATABASE_REPLICA_URLS: "postgresql://r1/lanes,mysql://r2/lanes" })),
    ).toEqual(["DATABASE_REPLICA_URLS.1"]);
    expect(badVariables(errorFor({ DATABASE_URL, DATABASE_REPLICA_STICKY_SECONDS: "0" }))).toEqual([
      "DATABASE_REPLICA_STICKY_SECONDS",
    ]);
  });

  it("reads the sign-up policy and requires domains for SIGNUP_POLICY=domains", () => {
    expect(
      parseEnv({ DATABASE_URL, SIGNUP_POLICY: "domains", SIGNUP_ALLOWED_DOMAINS: " Acme.com, acme.io ,," }),
    ).toMatchObject({ SIGNUP_POLICY: "domains", SIGNUP_ALLOWED_DOMAINS: ["acme.com", "acme.io"] });
    expect(() => parseEnv({ DATABASE_URL, SIGNUP_POLICY: "domains" })).toThrow(/SIGNUP_ALLOWED_DOMAINS: is required/);
    expect(() => parseEnv({ DATABASE_URL, SIGNUP_POLICY: "domains", SIGNUP_ALLOWED_DOMAINS: "not a domain" })).toThrow(
      /SIGNUP_ALLOWED_DOMAINS/,
    );
    expect(() => parseEnv({ DATABASE_URL, SIGNUP_POLICY: "closed" })).toThrow(/SIGNUP_POLICY/);
  });

  it("reads the trusted proxy setting: hops or a header, not both", () => {
    expect(parseEnv({ DATABASE_URL, TRUSTED_PROXY_HOPS: "2" }).TRUSTED_PROXY_HOPS).toBe(2);
    expect(parseEnv({ DATABASE_URL, TRUSTED_PROXY_HEADER: "CF-Connecting-IP" }).TRUSTED_PROXY_HEADER).toBe(
      "cf-connecting-ip",
    );
    expect(() => parseEnv({ DATABASE_URL, TRUSTED_PROXY_HOPS: "1", TRUSTED_PROXY_HEADER: "x-real-ip" })).toThrow(
      /not both/,
    );
    expect(() => parseEnv({ DATABASE_URL, TRUSTED_PROXY_HEADER: "x real ip" })).toThrow(/TRUSTED_PROXY_HEADER/);
    expect(() => parseEnv({ DATABASE_URL, TRUSTED_PROXY_HOPS: "-1" })).toThrow(/TRUSTED_PROXY_HOPS/);
  });

  it("accepts the postgresql:// scheme and parses typed values", () => {
    const env = parseEnv({
      DATABASE_URL: "postgresql://db.internal/lanes",
      DATABASE_POOL_SIZE: "1",
      RATE_LIMIT_DISABLED: "1",
      LOG_LEVEL: "debug",
    });
    expect(env.DATABASE_URL).toBe("postgresql://db.internal/lanes");
    expect(env.DATABASE_POOL_SIZE).toBe(1);
    expect(env.RATE_LIMIT_DISABLED).toBe(true);
    expect(env.LOG_LEVEL).toBe("debug");
  });

  it("starts the error with a heading and ends it with a pointer to .env.example", () => {
    const message = errorFor({});
    expect(message.startsWith("Invalid configuration:\n")).toBe(true);
    expect(message.endsWith("\nSee .env.example for every variable.")).toBe(true);
  });

  it("names DATABASE_URL when it is missing", () => {
    expect(badVariables(errorFor({}))).toEqual(["DATABASE_URL"]);
  });

  it("names DATABASE_URL when it is not a postgres URL", () => {
    expect(badVariables(errorFor({ DATABASE_URL: "mysql://localhost/lanes" }))).toEqual(["DATABASE_URL"]);
    expect(badVariables(errorFor({ DATABASE_URL: "localhost:5432" }))).toEqual(["DATABASE_URL"]);
  });

  it("names DATABASE_POOL_SIZE when it is 0 or not a number", () => {
    expect(badVariables(errorFor({ DATABASE_URL, DATABASE_POOL_SIZE: "0" }))).toEqual(["DATABASE_POOL_SIZE"]);
    expect(badVariables(errorFor({ DATABASE_URL, DATABASE_POOL_SIZE: "101" }))).toEqual(["DATABASE_POOL_SIZE"]);
    expect(badVariables(errorFor({ DATABASE_URL, DATABASE_POOL_SIZE: "ten" }))).toEqual(["DATABASE_POOL_SIZE"]);
  });

  it("names AUTH_SECRET when it is too short, with a hint", () => {
    const message = errorFor({ DATABASE_URL, AUTH_SECRET: "short" });
    expect(badVariables(message)).toEqual(["AUTH_SECRET"]);
    expect(message).toContain("  - AUTH_SECRET: must be at least 32 characters (try: openssl rand -base64 32)");
  });

  it("requires AUTH_SECRET in production", () => {
    const message = errorFor({ DATABASE_URL, NODE_ENV: "production", APP_URL });
    expect(badVariables(message)).toEqual(["AUTH_SECRET"]);
    expect(message).toContain("  - AUTH_SECRET: is required in production");
  });

  it("requires SMTP_URL when MAIL_TRANSPORT=smtp", () => {
    const message = errorFor({ DATABASE_URL, MAIL_TRANSPORT: "smtp" });
    expect(badVariables(message)).toEqual(["SMTP_URL"]);
    expect(message).toContain("  - SMTP_URL: is required when MAIL_TRANSPORT=smtp");
  });

  it("requires APP_URL in production (links in emails point to it)", () => {
    const message = errorFor({ DATABASE_URL, NODE_ENV: "production", AUTH_SECRET: SECRET });
    expect(message).toContain("  - APP_URL: is required in production");
    expect(parseEnv({ DATABASE_URL, NODE_ENV: "production", APP_URL, AUTH_SECRET: SECRET }).APP_URL).toBe(APP_URL);
  });

  it("refuses the dev mailbox in production when APP_URL is reachable from elsewhere", () => {
    for (const url of [
      APP_URL,
      "http://192.168.1.20:3000",
      "http://0.0.0.0:3000",
      "http://localhost.example.com:3000",
      "http://127.example.com",
      "http://[::2]:3000",
    ]) {
      const message = errorFor({
        DATABASE_URL,
        NODE_ENV: "production",
        APP_URL: url,
        AUTH_SECRET: SECRET,
        MAIL_TRANSPORT: "mailbox",
      });
      expect(badVariables(message)).toEqual(["MAIL_TRANSPORT"]);
      expect(message).toContain("  - MAIL_TRANSPORT: mailbox in production only when APP_URL is on this machine");
    }
  });

  it("allows the dev mailbox in a production build when APP_URL is on this machine (npm run app, browser tests)", () => {
    for (const url of [
      "http://localhost:3000",
      "http://LOCALHOST:3000",
      "http://127.0.0.1:3000",
      "http://127.1.2.3",
      "http://[::1]:3000",
    ]) {
      const env = parseEnv({
        DATABASE_URL,
        NODE_ENV: "production",
        APP_URL: url,
        AUTH_SECRET: SECRET,
        MAIL_TRANSPORT: "mailbox",
      });
      expect(env.MAIL_TRANSPORT).toBe("mailbox");
    }
  });

  it("ignores the retired ALLOW_MAILBOX_IN_PRODUCTION: it cannot open the mailbox on a public URL", () => {
    const message = errorFor({
      DATABASE_URL,
      NODE_ENV: "production",
      APP_URL,
      AUTH_SECRET: SECRET,
      MAIL_TRANSPORT: "mailbox",
      ALLOW_MAILBOX_IN_PRODUCTION: "true",
    });
    expect(badVariables(message)).toEqual(["MAIL_TRANSPORT"]);
  });

  it("tells loopback hosts and URLs from the rest", () => {
    expect(["localhost", "127.0.0.1", "127.255.0.9", "::1", "[::1]"].map(isLoopbackHost)).toEqual([
      true,
      true,
      true,
      true,
      true,
    ]);
    expect(
      ["0.0.0.0", "::", "192.168.0.1", "lanes.example.com", "localhost.evil.com", "1127.0.0.1", ""].map(isLoopbackHost),
    ).toEqual([false, false, false, false, false, false, false]);
    expect(isLoopbackUrl("http://user@localhost:3000/x")).toBe(true);
    expect(isLoopbackUrl("http://localhost@evil.com/")).toBe(false);
    expect(isLoopbackUrl("not a url")).toBe(false);
  });

  it("requires the GitHub id and secret together", () => {
    const message = errorFor({ DATABASE_URL, AUTH_GITHUB_ID: "gh-id" });
    expect(badVariables(message)).toEqual(["AUTH_GITHUB_SECRET"]);
    expect(message).toContain("  - AUTH_GITHUB_SECRET: set both AUTH_GITHUB_ID and AUTH_GITHUB_SECRET, or neither");
    expect(badVariables(errorFor({ DATABASE_URL, AUTH_GITHUB_SECRET: "gh-secret" }))).toEqual(["AUTH_GITHUB_SECRET"]);
    expect(parseEnv({ DATABASE_URL, AUTH_GITHUB_ID: "gh-id", AUTH_GITHUB_SECRET: "gh-secret" }).AUTH_GITHUB_ID).toBe(
      "gh-id",
    );
  });

  it("requires the Upstash URL and token together", () => {
    expect(badVariables(errorFor({ DATABASE_URL, UPSTASH_REDIS_REST_URL: "https://example.upstash.io" }))).toEqual([
      "UPSTASH_REDIS_REST_TOKEN",
    ]);
  });

  it("names every bad variable in one error", () => {
    const message = errorFor({
      DATABASE_URL: "mysql://x",
      DATABASE_POOL_SIZE: "0",
      AUTH_SECRET: "short",
      LOG_LEVEL: "loud",
    });
    expect(badVariables(message).sort()).toEqual(["AUTH_SECRET", "DATABASE_POOL_SIZE", "DATABASE_URL", "LOG_LEVEL"]);
  });

  describe("MAIL_TRANSPORT default", () => {
    it("is mailbox in development and test", () => {
      expect(parseEnv({ DATABASE_URL }).MAIL_TRANSPORT).toBe("mailbox");
      expect(parseEnv({ DATABASE_URL, NODE_ENV: "test" }).MAIL_TRANSPORT).toBe("mailbox");
    });

    it("is smtp when SMTP_URL is set, in any environment", () => {
      expect(parseEnv({ DATABASE_URL, SMTP_URL: "smtp://mail.example.com:587" }).MAIL_TRANSPORT).toBe("smtp");
      expect(
        parseEnv({
          DATABASE_URL,
          NODE_ENV: "production",
          APP_URL,
          AUTH_SECRET: SECRET,
          SMTP_URL: "smtps://mail.example.com",
        }).MAIL_TRANSPORT,
      ).toBe("smtp");
    });

    it("is log in production without SMTP", () => {
      const env = parseEnv({ DATABASE_URL, NODE_ENV: "production", APP_URL, AUTH_SECRET: SECRET });
      expect(env.MAIL_TRANSPORT).toBe("log");
      expect(env.AUTH_SECRET).toBe(SECRET);
    });

    it("keeps an explicit choice", () => {
      expect(parseEnv({ DATABASE_URL, MAIL_TRANSPORT: "log" }).MAIL_TRANSPORT).toBe("log");
      expect(
        parseEnv({ DATABASE_URL, MAIL_TRANSPORT: "mailbox", SMTP_URL: "smtp://mail.example.com" }).MAIL_TRANSPORT,
      ).toBe("mailbox");
    });
  });

  it("treats empty strings and undefined as unset", () => {
    const env = parseEnv({
      DATABASE_URL,
      NODE_ENV: "",
      DATABASE_POOL_SIZE: "",
      APP_URL: "",
      AUTH_SECRET: "",
      AUTH_GITHUB_ID: "",
      MAIL_TRANSPORT: "",
      SMTP_URL: "",
      REDIS_URL: undefined,
      RATE_LIMIT_DISABLED: "",
      LOG_LEVEL: "",
    });
    expect(env).toEqual(parseEnv({ DATABASE_URL }));
  });

  it("reports an empty DATABASE_URL as missing", () => {
    expect(badVariables(errorFor({ DATABASE_URL: "" }))).toEqual(["DATABASE_URL"]);
  });

  it("does not let an empty SMTP_URL satisfy MAIL_TRANSPORT=smtp", () => {
    expect(badVariables(errorFor({ DATABASE_URL, MAIL_TRANSPORT: "smtp", SMTP_URL: "" }))).toEqual(["SMTP_URL"]);
  });
});
