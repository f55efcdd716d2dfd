import { z } from "zod";

export const healthSchema = z.object({
  status: z.enum(["ok", "degraded"]),
  version: z.string(),
  uptimeSeconds: z.number(),
  database: z.object({ ok: z.boolean(), latencyMs: z.number().nullable() }),
});
export type Health = z.infer<typeof healthSchema>;

const checkSchema = z.object({ ok: z.boolean(), latencyMs: z.number().nullable(), error: z.string().optional() });

/** GET /api/health/ready: whether this instance should get traffic. */
export const readinessSchema = z.object({
  status: z.enum(["ready", "not_ready", "draining"]),
  database: checkSchema,
  migrations: checkSchema.extend({ latest: z.string().nullable(), expected: z.string() }),
  /** Optional: without it limits and the cache fall back (degraded, still ready). Null when not configured. */
  redis: checkSchema.nullable(),
  /** Read replicas (DATABASE_REPLICA_URLS), by host: a replica down is reported, not fatal (reads go to the primary). */
  replicas: z.array(checkSchema.extend({ host: z.string() })),
});
export type Readiness = z.infer<typeof readinessSchema>;
