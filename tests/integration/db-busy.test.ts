/**
 * A database that cannot serve in time answers a retryable 503, never a 500: the pool is
 * exhausted, a statement runs past statement_timeout, a row lock is held past lock_timeout.
 * Real PostgreSQL, with a client configured with short limits.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import "../setup/file-db";
import { testDb } from "../setup/file-db";
import { makeProject, makeTask, makeWorkspace, type TestWorkspace } from "../helpers/factories";
import { expectApiError } from "../helpers/errors";
import { createDb, type Db } from "@/server/db/client";
import { createCaller } from "@/server/routers/_app";
import { createInnerContext } from "@/server/trpc/context";
import { toTRPCError } from "@/server/trpc/errors";

let tight: Db;
let ws: TestWorkspace;

beforeAll(async () => {
  // One connection, and short waits, so the test can starve it on purpose.
  tight = createDb(process.env.DATABASE_URL!, 1, { statementTimeoutMs: 300, poolTimeoutMs: 300 });
  ws = await makeWorkspace();
});

afterAll(async () => {
  await tight.$disconnect();
});

const callerOn = (db: Db) => createCaller(createInnerContext({ db, viewer: { userId: ws.owner.id } }));

describe("a busy database", () => {
  it("pool exhausted: a call that waits past the pool timeout for a connection is 503 with a retry time", async () => {
    let release: () => void = () => undefined;
    const holding = new Promise<void>((resolve) => (release = resolve));
    let started: () => void = () => undefined;
    const isHolding = new Promise<void>((resolve) => (started = resolve));
    // Holds the pool's only connection in an open transaction.
    const hog = tight.$transaction(
      async () => {
        started();
        await holding;
      },
      { timeout: 10_000 },
    );
    await isHolding;
    try {
      const error = await expectApiError(
        callerOn(tight).workspace.rename({ workspaceSlug: ws.slug, name: "Renamed" }),
        "SERVICE_UNAVAILABLE",
      );
      expect(error.data.details).toEqual({ retryAfterSeconds: expect.any(Number) });
      expect(JSON.stringify(error)).not.toMatch(/transaction|prisma|pool/i);
    } finally {
      release();
      await hog;
    }
    // And the same call succeeds once the pool is free again.
    expect((await callerOn(tight).workspace.rename({ workspaceSlug: ws.slug, name: "Renamed" })).name).toBe("Renamed");
  });

  it("a statement cancelled by statement_timeout is 503, not 500", async () => {
    const error = await tight.$queryRaw`SELECT pg_sleep(2)::text`.then(
      () => null,
      (e: unknown) => e,
    );
    const trpc = toTRPCError(error);
    expect(trpc.code).toBe("SERVICE_UNAVAILABLE");
  });

  it("a row locked by another transaction past lock_timeout is 503, and nothing is half-written", async () => {
    const project = await makeProject(ws);
    const task = await makeTask(ws, project.id, { title: "Before" });
    let release: () => void = () => undefined;
    const holding = new Promise<void>((resolve) => (release = resolve));
    let locked: () => void = () => undefined;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    const holder = testDb().$transaction(
      async (tx) => {
        await tx.$queryRaw`SELECT id FROM "Task" WHERE id = ${task.id} FOR UPDATE`;
        locked();
        await holding;
      },
      { timeout: 10_000 },
    );
    await isLocked;
    try {
      await expectApiError(
        callerOn(tight).task.update({
          workspaceSlug: ws.slug,
          taskId: task.id,
          version: task.version,
          patch: { title: "After" },
        }),
        "SERVICE_UNAVAILABLE",
      );
    } finally {
      release();
      await holder;
    }
    const row = await testDb().task.findUniqueOrThrow({
      where: { id: task.id },
      select: { title: true, version: true },
    });
    expect(row).toEqual({ title: "Before", version: task.version });
    expect(await testDb().activityEvent.count({ where: { taskId: task.id, action: "task.updated" } })).toBe(0);
  });
});
