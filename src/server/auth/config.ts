/**
 * Auth.js (next-auth v5): email magic links always, GitHub when configured.
 * Sessions live in the database (docs/decisions/0003-database-sessions.md).
 */
import "server-only";
import NextAuth from "next-auth";
import { AccessDenied } from "@auth/core/errors";
import type { NextAuthConfig } from "next-auth";
import type { EmailConfig } from "next-auth/providers";
import { gitHubProvider } from "./github";
import { PrismaAdapter } from "@auth/prisma-adapter";
import { cacheKeys, invalidateCache } from "@/server/cache/cache";
import { db } from "@/server/db/client";
import { env } from "@/server/env";
import { sendMail } from "@/server/mail/mailer";
import { signInEmail } from "@/server/mail/templates";
import { assignInitialHandle } from "@/server/services/users";
import { logger } from "@/server/observability/logger";
import { assertMaySendSignInEmail, assertMaySignIn, signInDecision } from "@/server/services/auth";
import { clientIpFrom } from "@/server/http/client-ip";
import { isAppError } from "@/server/errors";
import { authErrorType, isVisitorMistake } from "./errors";

/**
 * The emailed link always points at APP_URL: Auth.js derives its own URL from the
 * request's Host / X-Forwarded-Host headers, which a caller controls.
 */
function linkOnAppUrl(url: string): string {
  const link = new URL(url);
  return new URL(`${link.pathname}${link.search}`, env().APP_URL).toString();
}

/** Magic-link emails go through the app's own mail transport (mailbox, SMTP or log). */
function emailProvider(): EmailConfig {
  return {
    id: "email",
    type: "email",
    name: "Email",
    from: env().MAIL_FROM,
    maxAge: 30 * 60,
    options: {},
    async sendVerificationRequest({ identifier, url, request }) {
      // Here, with Auth.js's normalized address, so every way in (our form, Auth.js's own
      // endpoint, JSON or form bodies) counts against the same limit.
      try {
        await assertMaySignIn(db(), identifier);
        await assertMaySendSignInEmail(identifier, clientIpFrom(request.headers));
      } catch (error) {
        // AccessDenied is an error type Auth.js passes to the sign-in page (?error=AccessDenied).
        if (isAppError(error)) throw new AccessDenied(error.message, { cause: error });
        throw error;
      }
      await sendMail({ to: identifier, ...signInEmail(linkOnAppUrl(url)) });
    },
  };
}

/**
 * Auth.js builds its redirects (after the emailed link, to its error page, OAuth's redirect_uri) on
 * AUTH_URL, else on the URL Next gives the request: the address the server listens on
 * (http://0.0.0.0:3000 in a container), which nobody outside can open. In production APP_URL is the
 * public address (required there), so it is Auth.js' too unless AUTH_URL says otherwise.
 */
function publicUrlForAuth(config: ReturnType<typeof env>): void {
  if (config.NODE_ENV === "production" && !process.env.AUTH_URL) process.env.AUTH_URL = config.APP_URL;
}

function authConfig(): NextAuthConfig {
  const config = env();
  publicUrlForAuth(config);
  return {
    adapter: PrismaAdapter(db()),
    secret: config.AUTH_SECRET,
    trustHost: true,
    // Secure (and __Secure-prefixed) cookies exactly when the public URL is https — decided by
    // configuration, not by an X-Forwarded-Proto header a proxy may or may not send.
    useSecureCookies: new URL(config.APP_URL).protocol === "https:",
    session: { strategy: "database", maxAge: 30 * 24 * 60 * 60, updateAge: 24 * 60 * 60 },
    pages: { signIn: "/signin", verifyRequest: "/signin/check-email", error: "/signin" },
    providers: [
      emailProvider(),
      ...(config.AUTH_GITHUB_ID && config.AUTH_GITHUB_SECRET
        ? [gitHubProvider(config.AUTH_GITHUB_ID, config.AUTH_GITHUB_SECRET)]
        : []),
    ],
    callbacks: {
      /** The sign-up policy, again at the moment of signing in (see signInDecision). */
      signIn({ user, account, email }) {
        const step = account?.type === "oauth" ? "oauth" : email?.verificationRequest ? "email-request" : "email-link";
        return signInDecision(db(), { step, email: user.email });
      },
      session({ session, user }) {
        session.user.id = user.id;
        return session;
      },
    },
    events: {
      async createUser({ user }) {
        if (user.id && user.email) {
          await assignInitialHandle(db(), { id: user.id, email: user.email, name: user.name ?? null });
        }
      },
      signIn({ user }) {
        logger.info({ userId: user.id }, "signed in");
      },
      // The session row is gone; its cache entry goes before the answer (the database trigger would
      // end it too, a moment later).
      async signOut(message) {
        const session = "session" in message ? message.session : null;
        if (session) await invalidateCache([cacheKeys.session(session.sessionToken)]);
      },
    },
    logger: {
      error: (error) => {
        const type = authErrorType(error);
        if (isVisitorMistake(error)) logger.warn({ authError: type }, "auth refused");
        else logger.error({ err: error, authError: type }, "auth error");
      },
      warn: (code) => logger.warn({ code }, "auth warning"),
      debug: () => undefined,
    },
  };
}

export const { handlers, auth, signIn, signOut } = NextAuth(() => authConfig());

/** Providers shown on the sign-in page. */
export function enabledProviders(): { github: boolean } {
  const config = env();
  return { github: Boolean(config.AUTH_GITHUB_ID && config.AUTH_GITHUB_SECRET) };
}
