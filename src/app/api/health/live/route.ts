import { APP_VERSION } from "@/server/services/system";

export const dynamic = "force-dynamic";

/** Liveness: the process answers. No dependency is checked (a database outage must not restart it). */
export function GET(): Response {
  return Response.json(
    { status: "ok", version: APP_VERSION, uptimeSeconds: Math.round(process.uptime()) },
    { headers: { "cache-control": "no-store" } },
  );
}
