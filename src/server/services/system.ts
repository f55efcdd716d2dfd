import packageJson from "../../../package.json" with { type: "json" };
import type { Db } from "@/server/db/client";
import { pingDatabase } from "@/server/db/health";
import type { Health } from "@/shared/schemas/system";

export const APP_VERSION: string = packageJson.version;

export async function checkHealth(db: Db): Promise<Health> {
  const latencyMs = await pingDatabase(db);
  return {
    status: latencyMs === null ? "degraded" : "ok",
    version: APP_VERSION,
    uptimeSeconds: Math.round(process.uptime()),
    database: { ok: latencyMs !== null, latencyMs },
  };
}
