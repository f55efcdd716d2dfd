import { metricsRoute } from "@/server/observability/metrics-endpoint";

export const dynamic = "force-dynamic";

/** Prometheus metrics, for a scraper holding METRICS_TOKEN (docs/deploy.md). */
export function GET(req: Request): Promise<Response> {
  return metricsRoute(req);
}
