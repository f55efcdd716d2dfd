/**
 * Several production instances of one deployment on this machine, behind a small round-robin
 * proxy: the harness for tests of what only shows with more than one process (sessions, shared
 * limits, permission changes, rolling restarts). The instances share the given database and the
 * suite's Redis. The proxy sends each request to the next instance; when an instance refuses the
 * connection or drops it before answering (it is restarting), the proxy tries the next one, as a
 * load balancer with passive health checks does. It counts what each instance answered.
 */
import { createServer, request, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { groupAlive } from "../../scripts/lib/processes";
import { startAppServer, type AppServer } from "./app-server";

export type Cluster = {
  /** The proxy's address: what clients use. */
  url: string;
  instances: AppServer[];
  /** Responses each instance gave through the proxy, by index. */
  served: number[];
  /** SIGTERM instance i, wait until it has exited, start it again on the same port. */
  restart: (i: number) => Promise<{ drainMs: number }>;
  stop: () => Promise<void>;
};

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

export async function startCluster(options: {
  size: number;
  databaseUrl: string;
  logDir: string;
  extraEnv?: Record<string, string>;
}): Promise<Cluster> {
  const start = (i: number, port?: number) =>
    startAppServer({
      mode: "start",
      distDir: ".next",
      logFile: path.join(options.logDir, `cluster-${i}${port ? "-restarted" : ""}.log`),
      label: `cluster instance ${i}`,
      databaseUrl: options.databaseUrl,
      port,
      extraEnv: { NODE_ENV: "production", MAIL_TRANSPORT: "mailbox", ...options.extraEnv },
    });
  const instances = await Promise.all(Array.from({ length: options.size }, (_, i) => start(i)));
  const served = instances.map(() => 0);
  let next = 0;

  const proxy: Server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const first = next++ % instances.length;
      for (let attempt = 0; attempt < instances.length; attempt++) {
        const index = (first + attempt) % instances.length;
        const target = new URL(instances[index]!.baseUrl);
        const answered = await new Promise<boolean>((resolve) => {
          const upstream = request(
            { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
            (response) => {
              served[index]!++;
              res.writeHead(response.statusCode ?? 502, response.headers);
              response.pipe(res);
              resolve(true);
            },
          );
          // Refused or dropped before a response: try the next instance.
          upstream.on("error", () => resolve(false));
          upstream.end(body);
        });
        if (answered) return;
      }
      res.writeHead(502, { "content-type": "application/json" }).end('{"error":{"message":"no instance answered"}}');
    })();
  });
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  const url = `http://localhost:${(proxy.address() as AddressInfo).port}`;

  return {
    url,
    instances,
    served,
    restart: async (i) => {
      const old = instances[i]!;
      const signalled = Date.now();
      process.kill(-old.pid, "SIGTERM");
      while (groupAlive(old.pid) && Date.now() - signalled < 20_000) await new Promise((r) => setTimeout(r, 50));
      const drainMs = Date.now() - signalled;
      if (groupAlive(old.pid)) throw new Error(`instance ${i} still runs 20 s after SIGTERM`);
      await old.stop(); // releases what the harness holds for it (nothing left to signal)
      instances[i] = await start(i, Number(new URL(old.baseUrl).port));
      return { drainMs };
    },
    stop: async () => {
      await new Promise((resolve) => proxy.close(resolve));
      await Promise.all(instances.map((instance) => instance.stop()));
    },
  };
}
