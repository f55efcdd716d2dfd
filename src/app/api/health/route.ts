import { db } from "@/server/db/client";
import { checkHealth } from "@/server/services/system";

export const dynamic = "force-dynamic";

/** For load balancers and uptime checks: 200 when the database answers, else 503. */
export async function GET(): Promise<Response> {
  const health = await checkHealth(db());
  return Response.json(health, {
    status: health.status === "ok" ? 200 : 503,
    headers: { "cache-control": "no-store" },
  });
}
