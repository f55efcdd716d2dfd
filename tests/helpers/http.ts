/**
 * Talking to the test server the way browsers and clients do: cookies, the
 * Auth.js magic-link flow through the dev mailbox, and tRPC's HTTP protocol
 * (superjson-encoded) by hand, so tests see exactly what goes over the wire.
 */
import { randomBytes } from "node:crypto";
import superjson from "superjson";
import type { SuperJSONResult, SuperJSONValue } from "superjson";
import { z } from "zod";
import { createTRPCClient, httpBatchLink } from "@trpc/client";
import type { AppRouter } from "@/server/routers/_app";

// ── cookies ──

/** A tiny cookie jar: name → value, fed by Set-Cookie, read as a Cookie header. */
export class CookieJar {
  private readonly cookies = new Map<string, string>();

  constructor(header?: string) {
    for (const part of (header ?? "").split(";")) {
      const eq = part.indexOf("=");
      if (eq > 0) this.cookies.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
    }
  }

  /** Applies a response's Set-Cookie headers (expired or emptied cookies are removed). */
  absorb(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair = "", ...attributes] = line.split(";");
      const eq = pair.indexOf("=");
      if (eq <= 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attributes.some((a) => {
        const [key = "", val = ""] = a.split("=").map((s) => s.trim());
        if (key.toLowerCase() === "max-age") return Number(val) <= 0;
        if (key.toLowerCase() === "expires") return Date.parse(val) <= Date.now();
        return false;
      });
      if (expired || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  get(name: string): string | undefined {
    return this.cookies.get(name);
  }

  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }
}

export const SESSION_COOKIE = "authjs.session-token";

// ── Auth.js over HTTP ──

/** A unique, lowercase address for a test user. */
export function uniqueEmail(prefix = "user"): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(3).toString("hex")}@example.test`;
}

/**
 * A made-up client address (198.18.0.0/15, reserved for benchmarks) for
 * x-forwarded-for: sign-in emails are limited per IP as well as per address,
 * so each simulated person comes from their own address.
 */
export function uniqueIp(): string {
  const [a = 0, b = 0, c = 0] = randomBytes(3);
  return `198.${18 + (a % 2)}.${b}.${Math.max(1, c)}`;
}

const csrfSchema = z.object({ csrfToken: z.string().min(1) });

/** GET /api/auth/csrf: the token, with its cookie stored in `jar`. */
export async function fetchCsrf(baseUrl: string, jar: CookieJar): Promise<string> {
  const res = await fetch(`${baseUrl}/api/auth/csrf`, { headers: { cookie: jar.header() } });
  if (res.status !== 200) throw new Error(`GET /api/auth/csrf answered ${res.status}`);
  jar.absorb(res);
  return csrfSchema.parse(await res.json()).csrfToken;
}

/** POST /api/auth/signin/email as the sign-in form would (no redirect followed). */
export async function requestSignInEmail(
  baseUrl: string,
  jar: CookieJar,
  csrfToken: string,
  email: string,
  ip: string,
  extraHeaders: Record<string, string> = {},
): Promise<Response> {
  const res = await fetch(`${baseUrl}/api/auth/signin/email`, {
    method: "POST",
    redirect: "manual",
    headers: {
      ...extraHeaders,
      "content-type": "application/x-www-form-urlencoded",
      cookie: jar.header(),
      "x-forwarded-for": ip,
    },
    body: new URLSearchParams({ email, csrfToken, callbackUrl: `${baseUrl}/` }).toString(),
  });
  jar.absorb(res);
  return res;
}

function unescapeHtml(s: string): string {
  return s.replace(
    /&(amp|quot|#x27|#39|lt|gt);/g,
    (_, entity: string) => ({ amp: "&", quot: '"', "#x27": "'", "#39": "'", lt: "<", gt: ">" })[entity] ?? "",
  );
}

/** GET /dev/mailbox?to=…: the page's HTML. */
export async function readMailboxHtml(baseUrl: string, to: string): Promise<string> {
  const res = await fetch(`${baseUrl}/dev/mailbox?to=${encodeURIComponent(to)}`);
  if (res.status !== 200) throw new Error(`GET /dev/mailbox answered ${res.status}`);
  return res.text();
}

/**
 * The newest link in `to`'s mail whose path matches `pathPattern` (the mailbox
 * lists newest first), as a path + query on `baseUrl`. Polls for up to 10 s: mail
 * sent by the job queue arrives within the workers' polling interval.
 */
export async function newestMailLink(baseUrl: string, to: string, pathPattern: RegExp): Promise<string> {
  for (let attempt = 0; attempt < 40; attempt++) {
    const html = await readMailboxHtml(baseUrl, to);
    for (const match of html.matchAll(/href="([^"]+)"/g)) {
      const href = unescapeHtml(match[1] ?? "");
      if (!/^https?:\/\//.test(href)) continue;
      const url = new URL(href);
      if (pathPattern.test(url.pathname)) return `${url.pathname}${url.search}`;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`no mail to ${to} with a link matching ${pathPattern}`);
}

/**
 * The real magic-link flow: csrf → POST signin/email → the link from the dev
 * mailbox → GET the callback. Returns a Cookie header carrying the session.
 */
export async function signIn(baseUrl: string, email: string, options: { ip?: string } = {}): Promise<string> {
  const jar = new CookieJar();
  const ip = options.ip ?? uniqueIp();
  const csrfToken = await fetchCsrf(baseUrl, jar);
  const requested = await requestSignInEmail(baseUrl, jar, csrfToken, email, ip);
  if (requested.status !== 302)
    throw new Error(`POST /api/auth/signin/email answered ${requested.status}: ${await requested.text()}`);
  const location = requested.headers.get("location") ?? "";
  if (location.includes("error=")) throw new Error(`sign-in email was refused: ${location}`);

  const link = await newestMailLink(baseUrl, email, /^\/api\/auth\/callback\/email$/);
  const callback = await fetch(`${baseUrl}${link}`, {
    redirect: "manual",
    headers: { cookie: jar.header(), "x-forwarded-for": ip },
  });
  jar.absorb(callback);
  const session = jar.get(SESSION_COOKIE);
  if (!session)
    throw new Error(
      `the magic link did not sign in (HTTP ${callback.status}, location ${callback.headers.get("location")})`,
    );
  return `${SESSION_COOKIE}=${session}`;
}

/** POST /api/auth/signout with a fresh csrf token, as the sign-out button does. */
export async function signOut(baseUrl: string, cookie: string): Promise<Response> {
  const jar = new CookieJar(cookie);
  const csrfToken = await fetchCsrf(baseUrl, jar);
  const res = await fetch(`${baseUrl}/api/auth/signout`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: jar.header() },
    body: new URLSearchParams({ csrfToken, callbackUrl: `${baseUrl}/` }).toString(),
  });
  jar.absorb(res);
  return res;
}

// ── tRPC over HTTP ──

/** The error shape every procedure answers with (src/server/trpc/errors.ts). */
export const trpcErrorSchema = z.object({
  message: z.string(),
  code: z.number().int(),
  data: z.object({
    code: z.string(),
    httpStatus: z.number().int(),
    requestId: z.string().nullable(),
    fieldErrors: z.record(z.string(), z.array(z.string())).optional(),
    details: z.record(z.string(), z.unknown()).optional(),
  }),
});
export type TrpcError = z.infer<typeof trpcErrorSchema>;

/** One procedure's answer: { result: { data } } or { error }, each superjson-encoded. */
const superjsonSchema = z.object({ json: z.unknown(), meta: z.record(z.string(), z.unknown()).optional() });
const envelopeSchema = z.union([
  z.strictObject({ result: z.object({ data: superjsonSchema.optional() }) }),
  z.strictObject({ error: superjsonSchema }),
]);

export type TrpcOutcome<T> = { ok: true; data: T } | { ok: false; error: TrpcError };
export type TrpcResponse<T> = TrpcOutcome<T> & { status: number; headers: Headers; text: string };

function decode(payload: z.infer<typeof superjsonSchema>): unknown {
  return superjson.deserialize(payload as SuperJSONResult);
}

/** Decodes one envelope. T is what the caller expects the procedure to return. */
export function decodeEnvelope<T>(envelope: unknown): TrpcOutcome<T> {
  const parsed = envelopeSchema.parse(envelope);
  if ("error" in parsed) return { ok: false, error: trpcErrorSchema.parse(decode(parsed.error)) };
  return { ok: true, data: (parsed.result.data ? decode(parsed.result.data) : undefined) as T };
}

/** Reads a non-batch tRPC response. */
export async function parseTrpcResponse<T>(res: Response): Promise<TrpcResponse<T>> {
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`not a tRPC JSON response (HTTP ${res.status}): ${text.slice(0, 300)}`);
  }
  return { ...decodeEnvelope<T>(body), status: res.status, headers: res.headers, text };
}

export type RequestOptions = { cookie?: string; headers?: Record<string, string> };

function requestHeaders(options: RequestOptions, extra: Record<string, string> = {}): Record<string, string> {
  return { ...extra, ...(options.cookie ? { cookie: options.cookie } : {}), ...options.headers };
}

function serialize(input: unknown): string {
  return JSON.stringify(superjson.serialize(input as SuperJSONValue));
}

function asOptions(cookieOrOptions: string | RequestOptions | undefined): RequestOptions {
  return typeof cookieOrOptions === "string" ? { cookie: cookieOrOptions } : (cookieOrOptions ?? {});
}

/** GET /api/trpc/<path>?input=<superjson> */
export async function trpcQuery<T = unknown>(
  baseUrl: string,
  path: string,
  input?: unknown,
  cookie?: string | RequestOptions,
): Promise<TrpcResponse<T>> {
  const res = await fetch(`${baseUrl}/api/trpc/${path}?input=${encodeURIComponent(serialize(input))}`, {
    headers: requestHeaders(asOptions(cookie)),
  });
  return parseTrpcResponse<T>(res);
}

/** POST /api/trpc/<path> with a superjson body. */
export async function trpcMutation<T = unknown>(
  baseUrl: string,
  path: string,
  input?: unknown,
  cookie?: string | RequestOptions,
): Promise<TrpcResponse<T>> {
  const res = await fetch(`${baseUrl}/api/trpc/${path}`, {
    method: "POST",
    headers: requestHeaders(asOptions(cookie), { "content-type": "application/json" }),
    body: serialize(input),
  });
  return parseTrpcResponse<T>(res);
}

export type BatchResponse = { status: number; headers: Headers; text: string; results: TrpcOutcome<unknown>[] };

/** Several queries in one request: GET /api/trpc/a,b?batch=1&input={"0":…,"1":…}. */
export async function trpcBatchQuery(
  baseUrl: string,
  calls: ReadonlyArray<{ path: string; input?: unknown }>,
  cookie?: string | RequestOptions,
): Promise<BatchResponse> {
  const input = Object.fromEntries(
    calls.map((call, i) => [String(i), superjson.serialize(call.input as SuperJSONValue)]),
  );
  const res = await fetch(
    `${baseUrl}/api/trpc/${calls.map((c) => c.path).join(",")}?batch=1&input=${encodeURIComponent(JSON.stringify(input))}`,
    {
      headers: requestHeaders(asOptions(cookie)),
    },
  );
  const text = await res.text();
  const body: unknown = JSON.parse(text);
  if (!Array.isArray(body)) throw new Error(`a batch answers with an array, got: ${text.slice(0, 300)}`);
  const items: unknown[] = body;
  return {
    status: res.status,
    headers: res.headers,
    text,
    results: items.map((item) => decodeEnvelope<unknown>(item)),
  };
}

/** The real typed client, as the web app uses it, acting with `cookie`'s session. */
export function typedClient(baseUrl: string, cookie: string) {
  return createTRPCClient<AppRouter>({
    links: [httpBatchLink({ url: `${baseUrl}/api/trpc`, transformer: superjson, headers: { cookie } })],
  });
}

/** Text no error response may contain: stacks, SQL, ORM internals. */
export function leaksInternals(text: string): string[] {
  const checks: Array<[string, RegExp]> = [
    ["stack", /"stack"|\bstack\b/i],
    ["stack frame", /\bat [\w$.<>]+ \(|node:internal|\.ts:\d+:\d+|\.js:\d+:\d+/],
    ["prisma", /prisma/i],
    ["SQL", /\bSELECT\b|\bINSERT INTO\b|\bUPDATE "|\bFROM "/],
    ["postgres", /postgres|duplicate key|violates/i],
  ];
  return checks.filter(([, pattern]) => pattern.test(text)).map(([name]) => name);
}

/** A workspace's live stream (live.workspace over SSE), as a browser opens it; its body's reader. */
export async function openLiveStream(
  baseUrl: string,
  workspaceSlug: string,
  cookie: string,
  signal?: AbortSignal,
): Promise<{ res: Response; reader: ReadableStreamDefaultReader<Uint8Array> }> {
  const input = encodeURIComponent(JSON.stringify(superjson.serialize({ workspaceSlug })));
  const res = await fetch(`${baseUrl}/api/trpc/live.workspace?input=${input}`, {
    headers: { cookie, accept: "text/event-stream" },
    signal,
  });
  if (!res.body) throw new Error(`live.workspace answered ${res.status} without a body`);
  return { res, reader: res.body.getReader() };
}

/** Reads a stream until its text so far matches `pattern`, or it ends; returns the text read. */
export async function readUntil(reader: ReadableStreamDefaultReader<Uint8Array>, pattern: RegExp): Promise<string> {
  const decoder = new TextDecoder();
  let text = "";
  while (!pattern.test(text)) {
    const { done, value } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
  }
  return text;
}

/** Reads a stream to its end; returns the text read. */
export function readToEnd(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<string> {
  return readUntil(reader, /(?!)/); // a pattern that never matches
}
