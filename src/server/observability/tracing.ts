/**
 * OpenTelemetry traces, exported over OTLP when an endpoint is configured (the standard
 * OTEL_EXPORTER_OTLP_ENDPOINT / OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, OTEL_EXPORTER_OTLP_PROTOCOL,
 * OTEL_SERVICE_NAME variables). @vercel/otel sets up the SDK for Next (its server spans: the request,
 * the route) and Prisma's instrumentation adds the queries. Unconfigured, nothing is registered and
 * spans cost nothing. Log lines carry the active trace id (./logger.ts).
 */
import { registerOTel } from "@vercel/otel";
import { PrismaInstrumentation } from "@prisma/instrumentation";

export function tracingConfigured(source: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(source.OTEL_EXPORTER_OTLP_ENDPOINT || source.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
}

/** Registers the tracer provider once, at server start (src/instrumentation.ts); false when not configured. */
export function startTracing(): boolean {
  if (!tracingConfigured()) return false;
  registerOTel({
    serviceName: process.env.OTEL_SERVICE_NAME ?? "lanes",
    instrumentations: ["fetch", new PrismaInstrumentation()],
  });
  return true;
}
