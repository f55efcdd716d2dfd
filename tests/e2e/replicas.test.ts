/**
 * Read replicas against a real streaming replica (tests/setup/replica-pair.ts: the machine's
 * PostgreSQL binaries, a primary and a pg_basebackup standby on two ports) and a production server
 * with DATABASE_REPLICA_URLS. The replica's replay is paused to make its lag visible:
 *
 * - a query by someone else is answered from the replica (the new task is not there yet);
 * - the writer reads their own write (the primary, for the sticky window) — and after it, the replica;
 * - replica stopped: every read still answers, from the primary; readiness stays ready and says so;
 * - replica back: reads go to it again.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppServer } from "../setup/app-server";
import { createTemplate, createTestDatabase, type TestDatabase } from "../setup/databases";
import {
  machinePostgresBin,
  onStandby,
  replicaCaughtUp,
  startReplicaPair,
  startReplicatedServer,
  writerAndReader,
  type ReplicaPair,
} from "../setup/replica-pair";
import { trpcMutation, trpcQuery } from "../helpers/http";

const STICKY_SECONDS = 2;

let pair: ReplicaPair | null = null;
let database: TestDatabase | null = null;
let server: AppServer | null = null;
let base = "";
let writer = "";
let reader = "";
let slug = "";
let projectId = "";

/** Same database name on the replica: it is a copy of the whole primary. */
function onReplica(url: string): string {
  return onStandby(url, pair!.replicaUrl);
}

async function titles(cookie: string): Promise<string[]> {
  const res = await trpcQuery<{ items: Array<{ title: string }> }>(
    base,
    "task.list",
    { workspaceSlug: slug, filter: { projectId } },
    cookie,
  );
  expect(res.status, res.text).toBe(200);
  return res.ok ? res.data.items.map((task) => task.title) : [];
}

async function createTask(title: string): Promise<void> {
  const res = await trpcMutation(
    base,
    "task.create",
    { workspaceSlug: slug, projectId, title, idempotencyKey: randomUUID() },
    writer,
  );
  expect(res.status, res.text).toBe(200);
}

function replicaCaughtUpWithPrimary(): Promise<void> {
  return replicaCaughtUp(database!.url, onReplica(database!.url));
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe.skipIf(!machinePostgresBin() && !process.env.CI)("read replicas", () => {
  beforeAll(async () => {
    pair = await startReplicaPair();
    database = await createTestDatabase(pair.primaryUrl, await createTemplate(pair.primaryUrl));
    server = await startReplicatedServer({
      databaseUrl: database.url,
      replicaUrls: [onReplica(database.url)],
      stickySeconds: STICKY_SECONDS,
      name: "replicas",
    });
    base = server.baseUrl;
    slug = `repl-${randomBytes(3).toString("hex")}`;
    ({ writer, reader, projectId } = await writerAndReader(base, database.url, slug, "REP"));
    await createTask("before the pause");
    await replicaCaughtUpWithPrimary();
  }, 240_000);

  afterAll(async () => {
    await server?.stop();
    await database?.drop().catch(() => undefined);
    pair?.stop();
  });

  it("answers others' queries from the replica, and the writer's from the primary for the sticky window", async () => {
    expect(await titles(reader)).toEqual(["before the pause"]);
    await pair!.pauseReplay();
    try {
      await createTask("written while the replica lags");
      // The writer reads their own write at once: their reads stay on the primary…
      expect(await titles(writer)).toContain("written while the replica lags");
      // …while someone else is served by the lagging replica.
      expect(await titles(reader)).not.toContain("written while the replica lags");
      // After the window the writer is back on the replica, which still lags.
      await sleep(STICKY_SECONDS * 1_000 + 500);
      expect(await titles(writer)).not.toContain("written while the replica lags");
    } finally {
      await pair!.resumeReplay();
    }
    await expect.poll(() => titles(reader), { timeout: 10_000 }).toContain("written while the replica lags");
  });

  it("reads from the primary while the replica is down, and from the replica again once it is back", async () => {
    pair!.stopReplica();
    await createTask("written with the replica down");
    // Every read answers — the first one retried on the primary — and sees the newest write.
    for (let i = 0; i < 10; i++) expect(await titles(reader)).toContain("written with the replica down");
    const ready = await fetch(`${base}/api/health/ready`);
    expect(ready.status).toBe(200);
    const readiness = (await ready.json()) as { status: string; replicas: Array<{ ok: boolean; host: string }> };
    expect(readiness.status).toBe("ready");
    expect(readiness.replicas).toEqual([
      expect.objectContaining({ ok: false, host: expect.stringMatching(/^127\.0\.0\.1:\d+$/) }),
    ]);

    pair!.startReplica();
    await replicaCaughtUpWithPrimary();
    await pair!.pauseReplay();
    try {
      await createTask("written after the replica came back");
      // Once its breaker lets a trial call through (seconds), the reader is served by the replica again.
      await expect
        .poll(async () => (await titles(reader)).includes("written after the replica came back"), { timeout: 15_000 })
        .toBe(false);
      await createTask("and the writer still reads their own");
      expect(await titles(writer)).toContain("and the writer still reads their own");
      expect(await titles(reader)).not.toContain("and the writer still reads their own");
    } finally {
      await pair!.resumeReplay();
    }
  });
});
