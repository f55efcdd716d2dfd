/**
 * The deploy files (Dockerfile, docker-compose.yml, deploy/) checked without a container engine:
 * they parse, carry the fields a platform needs, start the same server the tests run
 * (src/server/http/serve.ts start, as the launcher does), probe endpoints that exist, and set only
 * configuration Lanes reads — with values it accepts.
 */
import { SERVER_NODE_FLAGS } from "../../scripts/lib/server-flags";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse, parseAllDocuments } from "yaml";
import { ENV_NAMES, parseEnv } from "@/server/env";
import { metrics } from "@/server/observability/metrics";
import { registerGauges } from "@/server/observability/metrics-endpoint";

const root = path.resolve(import.meta.dirname, "..", "..");
const read = (file: string) => readFileSync(path.join(root, file), "utf8");

/** The production server's command: what the launcher and the test harness spawn (scripts/lanes.ts). */
const SERVER = [
  "node",
  ...SERVER_NODE_FLAGS,
  "--import",
  "tsx",
  "src/server/http/serve.ts",
  "start",
  "--port",
  "3000",
  "--hostname",
  "0.0.0.0",
];
const WORKER = ["node", "--import", "tsx", "scripts/worker.ts"];
const MIGRATE = ["node_modules/.bin/prisma", "migrate", "deploy"];
/** Read by the platform or Node, not by Lanes' configuration. */
const NOT_LANES = new Set(["PORT", "HOST", "NEXT_TELEMETRY_DISABLED", "LANES_BUILD_SKIP_TYPECHECK"]);

type Record_ = Record<string, unknown>;
const asRecord = (value: unknown) => value as Record_;

/** `${VAR:?message}` and `${VAR:-default}` as compose would fill them from a filled-in .env. */
function interpolate(value: string, vars: Record<string, string>): string {
  return value.replace(
    /\$\{([A-Z_]+)(?::[?-]([^}]*))?\}/g,
    (_, name: string, fallback?: string) => vars[name] ?? fallback ?? "",
  );
}

function expectLanesConfig(environment: Record<string, string>, where: string) {
  for (const name of Object.keys(environment))
    expect(ENV_NAMES.includes(name) || NOT_LANES.has(name), `${where}: ${name} is not a Lanes variable`).toBe(true);
  expect(() => parseEnv(environment), where).not.toThrow();
}

describe("Dockerfile", () => {
  const text = read("Dockerfile");
  const stages = [...text.matchAll(/^FROM (\S+) AS (\S+)$/gm)].map((m) => m[2]);
  const runtime = text.slice(text.lastIndexOf("\nFROM "));

  it("builds in stages and runs the production server as a non-root user, with a health check", () => {
    expect(stages).toEqual(["base", "deps", "build", "runtime"]);
    expect(text).toMatch(/^ARG NODE_VERSION=20$/m);
    expect(runtime).toMatch(/^USER node$/m);
    expect(runtime).toMatch(/^EXPOSE 3000$/m);
    expect(runtime).toMatch(/^HEALTHCHECK .*\n\s+CMD .*\/api\/health\/live/m);
    const cmd = /^CMD (\[.*\])$/m.exec(runtime)?.[1];
    expect(JSON.parse(cmd ?? "null")).toEqual(SERVER);
    // What the command needs is in the image.
    for (const copied of ["node_modules", ".next", "public", "prisma", "src", "scripts"])
      expect(runtime).toContain(`/app/${copied} ./${copied}`);
  });

  it("gives Prisma the OpenSSL it picks its engine by, and ships no build cache", () => {
    // Without openssl the slim image gets the openssl-1.1.x schema engine, which bookworm cannot load.
    const base = text.slice(text.indexOf("AS base\n"), text.indexOf("AS deps\n"));
    expect(text).toMatch(/^FROM node:\$\{NODE_VERSION\}-bookworm-slim AS base$/m);
    expect(base).toMatch(/^RUN apt-get .*install .*\bopenssl\b/m);
    expect(runtime).toMatch(/^FROM base AS runtime$/m);
    expect(text).toMatch(/npm run build && .*rm -rf \.next\/cache/);
  });

  it("starts the server the launcher and the test harness start", () => {
    // `npm start` (scripts/lanes.ts) and tests/setup/app-server.ts spawn node --import tsx serve.ts start.
    for (const file of ["scripts/lanes.ts", "tests/setup/app-server.ts"]) {
      const source = read(file).replace(/\s+/g, " ");
      expect(source, file).toMatch(/\.\.\.SERVER_NODE_FLAGS, "--import", "tsx",/);
      expect(source, file).toMatch(/path\.join\(root, "src", "server", "http", "serve\.ts"\)/);
    }
  });

  it("keeps secrets and local state out of the build context", () => {
    const ignored = read(".dockerignore").split("\n");
    for (const entry of ["node_modules", ".next", ".data", ".env", ".git"]) expect(ignored).toContain(entry);
  });
});

describe("docker-compose.yml", () => {
  const compose = asRecord(parse(read("docker-compose.yml"), { merge: true }));
  const services = asRecord(compose.services);
  const filledIn = { POSTGRES_PASSWORD: "pw", AUTH_SECRET: "0123456789abcdef0123456789abcdef" };
  const environmentOf = (name: string) =>
    Object.fromEntries(
      Object.entries(asRecord(asRecord(services[name]).environment)).map(([k, v]) => [
        k,
        interpolate(String(v), filledIn),
      ]),
    );

  it("has PostgreSQL, Redis, a migration, two app replicas, a worker and a load balancer", () => {
    expect(Object.keys(services).sort()).toEqual(["app1", "app2", "lb", "migrate", "postgres", "redis", "worker"]);
    expect(asRecord(services.migrate).command).toEqual(MIGRATE);
    expect(asRecord(services.worker).command).toEqual(WORKER);
    for (const app of ["app1", "app2"]) {
      const service = asRecord(services[app]);
      expect(service.image).toBe("lanes:local");
      // The image's CMD starts them; no override.
      expect(service.command).toBeUndefined();
      expect(asRecord(asRecord(service.depends_on).migrate).condition).toBe("service_completed_successfully");
      expect(environmentOf(app)).toMatchObject({ JOB_WORKERS: "off", TRUSTED_PROXY_HOPS: "1" });
    }
  });

  it("configures every Lanes service with variables Lanes reads and values it accepts", () => {
    for (const name of ["migrate", "app1", "app2", "worker"]) expectLanesConfig(environmentOf(name), name);
  });

  it("does not probe the worker or the migration for the web server they do not run", () => {
    for (const name of ["worker", "migrate"])
      expect(asRecord(services[name]).healthcheck, name).toEqual({ disable: true });
  });

  it("balances over exactly the app replicas, which the scrape config reads too", () => {
    const nginx = read("deploy/compose/nginx.conf");
    // Host with its port: Next refuses a Server Action whose Origin (localhost:8080) differs from it.
    expect(nginx).toMatch(/proxy_set_header Host \$http_host;/);
    // A stopped replica stops answering rather than refusing: move on to the other one quickly.
    expect(nginx).toMatch(/proxy_connect_timeout \d+s;/);
    // Workers share which replica is down (else each pays the connect timeout to learn it).
    expect(nginx).toMatch(/upstream lanes \{[^}]*\n\s*zone lanes \d+k;/);
    // Idle upstream connections end before Node's 5 s keep-alive timeout closes them under nginx.
    expect(Number(/keepalive_timeout (\d+)s;/.exec(nginx)?.[1])).toBeLessThan(5);
    expect([...nginx.matchAll(/^\s+server (\S+):3000/gm)].map((m) => m[1])).toEqual(["app1", "app2"]);
    const prometheus = asRecord(parse(read("deploy/prometheus.yml")));
    const targets = (prometheus.scrape_configs as Record_[]).flatMap((job) =>
      (job.static_configs as Array<{ targets: string[] }>).flatMap((c) => c.targets),
    );
    const port = environmentOf("app1").METRICS_PORT;
    expect(targets).toEqual([`app1:${port}`, `app2:${port}`]);
  });
});

describe("Kubernetes manifests", () => {
  const dir = path.join(root, "deploy", "k8s");
  const docs = readdirSync(dir)
    .filter((f) => f.endsWith(".yaml"))
    .flatMap((file) =>
      parseAllDocuments(readFileSync(path.join(dir, file), "utf8")).map((d) => ({ file, doc: asRecord(d.toJS()) })),
    );
  const byKind = (kind: string) => docs.filter((d) => d.doc.kind === kind).map((d) => d.doc);
  const one = (kind: string, name: string) => byKind(kind).find((d) => asRecord(d.metadata).name === name)!;
  const container = (deployment: Record_) =>
    asRecord((asRecord(asRecord(asRecord(deployment.spec).template).spec).containers as Record_[])[0]);

  it("every document parses and names its kind, version and namespace", () => {
    expect(docs.length).toBeGreaterThanOrEqual(9);
    for (const { file, doc } of docs) {
      expect(doc.apiVersion, file).toEqual(expect.any(String));
      expect(doc.kind, file).toEqual(expect.any(String));
      expect(asRecord(doc.metadata).name, file).toEqual(expect.any(String));
      if (doc.kind !== "Namespace") expect(asRecord(doc.metadata).namespace, file).toBe("lanes");
    }
  });

  it("the web Deployment runs the production server, probes live and ready endpoints that exist, and drains", () => {
    const web = one("Deployment", "lanes-web");
    const c = container(web);
    expect(c.command).toEqual(SERVER);
    const probePath = (probe: string) => asRecord(asRecord(c[probe]).httpGet).path as string;
    expect(probePath("livenessProbe")).toBe("/api/health/live");
    expect(probePath("startupProbe")).toBe("/api/health/live");
    expect(probePath("readinessProbe")).toBe("/api/health/ready");
    for (const route of ["live", "ready"])
      expect(existsSync(path.join(root, "src/app/api/health", route, "route.ts"))).toBe(true);
    const pod = asRecord(asRecord(asRecord(web.spec).template).spec);
    expect(asRecord(pod.securityContext).runAsNonRoot).toBe(true);
    // The grace period covers the preStop pause plus the server's 10 s drain bound.
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(5 + 10);
    expect(asRecord(asRecord(web.spec).strategy)).toMatchObject({ rollingUpdate: { maxUnavailable: 0 } });
  });

  it("the Service, PodDisruptionBudget and autoscaler point at the web pods", () => {
    const labels = asRecord(asRecord(asRecord(asRecord(one("Deployment", "lanes-web").spec).template).metadata).labels);
    expect(asRecord(one("Service", "lanes-web").spec).selector).toEqual(labels);
    expect(asRecord(asRecord(one("PodDisruptionBudget", "lanes-web").spec).selector).matchLabels).toEqual(labels);
    const hpa = asRecord(one("HorizontalPodAutoscaler", "lanes-web").spec);
    expect(hpa.scaleTargetRef).toMatchObject({ kind: "Deployment", name: "lanes-web" });
    expect(hpa.minReplicas).toBeGreaterThanOrEqual(2);
  });

  it("the migration Job and the worker run their commands, with configuration Lanes accepts", () => {
    const job = asRecord(asRecord(asRecord(one("Job", "lanes-migrate").spec).template).spec);
    expect(asRecord((job.containers as Record_[])[0]).command).toEqual(MIGRATE);
    expect(container(one("Deployment", "lanes-worker")).command).toEqual(WORKER);
    const config = asRecord(one("ConfigMap", "lanes-config").data) as Record<string, string>;
    const secret = asRecord(one("Secret", "lanes-secrets").stringData) as Record<string, string>;
    expectLanesConfig({ ...config, ...secret, AUTH_SECRET: "0123456789abcdef0123456789abcdef" }, "ConfigMap + Secret");
  });
});

describe("Grafana dashboard", () => {
  it("queries only metrics Lanes exports", () => {
    const dashboard = JSON.parse(read("deploy/grafana-dashboard.json")) as {
      panels: Array<{ targets: Array<{ expr: string }> }>;
    };
    registerGauges();
    const exported = new Set(
      metrics()
        .registry.getMetricsAsArray()
        .map((m) => m.name),
    );
    const used = dashboard.panels.flatMap((p) => p.targets.flatMap((t) => t.expr.match(/lanes_[a-z0-9_]+/g) ?? []));
    expect(used.length).toBeGreaterThan(10);
    for (const name of used) expect(exported, name).toContain(name.replace(/_(bucket|count|sum)$/, ""));
  });
});
