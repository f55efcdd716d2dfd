import { NextRequest, NextResponse } from "next/server";
import { handlers } from "@/server/auth/config";
import { authFieldProblem, withoutUnusableCallbackCookie } from "@/server/auth/request-guard";

/**
 * Auth.js behind a guard (src/server/auth/request-guard.ts): bad text or an unusable callback URL is
 * a 400 here, not Auth.js's 500. Sign-in emails are rate limited inside the email provider
 * (src/server/auth/config.ts).
 */
async function guarded(req: NextRequest, handle: (req: NextRequest) => Promise<Response>): Promise<Response> {
  const origin = req.nextUrl.origin;
  let problem = authFieldProblem(req.nextUrl.searchParams, origin);
  const type = req.headers.get("content-type") ?? "";
  if (!problem && req.method === "POST" && type.startsWith("application/x-www-form-urlencoded"))
    problem = authFieldProblem(new URLSearchParams(await req.clone().text()), origin);
  if (problem)
    return NextResponse.json({ code: "BAD_REQUEST", message: `Invalid sign-in request (${problem})` }, { status: 400 });
  const cookie = req.headers.get("cookie");
  const kept = cookie === null ? null : withoutUnusableCallbackCookie(cookie, origin);
  if (cookie === null || kept === cookie) return handle(req);
  const headers = new Headers(req.headers);
  headers.set("cookie", kept ?? "");
  return handle(new NextRequest(req, { headers }));
}

export function GET(req: NextRequest): Promise<Response> {
  return guarded(req, handlers.GET);
}

export function POST(req: NextRequest): Promise<Response> {
  return guarded(req, handlers.POST);
}
