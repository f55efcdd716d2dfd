/**
 * The embedded database: PGlite (PostgreSQL compiled to WASM) served over the
 * PostgreSQL wire protocol by pglite-socket, so Prisma, `pg` and Prisma Studio
 * talk to it exactly as they would to a real server.
 *
 * PGlite is single-session: every client connection shares one session
 * (ENGINEERING.md trap 7), so the app must use a pool of one connection.
 */
import { mkdirSync } from "node:fs";
import net from "node:net";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";

export type EmbeddedDatabase = {
  url: string;
  stop: () => Promise<void>;
};

export type EmbeddedOptions = {
  /** Directory for the data files; omit for an in-memory database. */
  dataDir?: string;
  host?: string;
  /** 0 picks a free port. */
  port: number;
};

export async function startEmbeddedDatabase(options: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const host = options.host ?? "127.0.0.1";
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const db = await PGlite.create(options.dataDir ? { dataDir: options.dataDir } : {});
  const server = new PGLiteSocketServer({ db, host, port: options.port, maxConnections: 16 });
  await server.start();
  const port = listeningPort(server, options.port);
  let stopped = false;
  return {
    url: `postgresql://postgres:postgres@${host}:${port}/postgres?sslmode=disable`,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await server.stop();
      await db.close();
    },
  };
}

function listeningPort(server: PGLiteSocketServer, requested: number): number {
  if (requested !== 0) return requested;
  // pglite-socket keeps its net.Server private; read the bound port from it.
  const inner = (server as unknown as { server?: net.Server }).server;
  const address = inner?.address();
  if (address && typeof address === "object") return address.port;
  throw new Error("embedded database: could not read the bound port");
}

/** True when something accepts TCP connections on host:port. */
export function isPortOpen(host: string, port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (open: boolean) => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}
