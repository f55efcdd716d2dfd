import { db } from "@/server/db/client";
import { checkReadiness } from "@/server/services/system";

export const dynamic = "force-dynamic";

/** Readiness, for load balancers: 200 when this instance should get traffic, else 503 with Retry-After. */
export async function GET(): Promise<Response> {
  const readiness = await checkReadiness(db());
  const ready = readiness.status === "ready";
  return Response.json(readiness, {
    status: ready ? 200 : 503,
    headers: { "cache-control": "no-store", ...(ready ? {} : { "retry-after": "5" }) },
  });
}
