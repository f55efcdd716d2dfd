/**
 * Readiness on real PostgreSQL (and Redis when REDIS_URL is set): ready with every migration applied;
 * not ready while a migration is unfinished or the database is behind the build, or when a check
 * does not answer in time. The migration list the build expects matches prisma/migrations.
 */
import { readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { testDb } from "../setup/file-db";
import { LATEST_MIGRATION } from "@/server/db/health";
import { checkReadiness } from "@/server/services/system";

describe("readiness", () => {
  it("expects exactly the newest migration in prisma/migrations (update LATEST_MIGRATION with each one)", () => {
    const dirs = readdirSync(path.resolve(import.meta.dirname, "../../prisma/migrations"), { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort();
    expect(LATEST_MIGRATION).toBe(dirs.at(-1));
  });

  it("is ready with every migration applied, and reports Redis when configured", async () => {
    const readiness = await checkReadiness(testDb());
    expect(readiness).toMatchObject({
      status: "ready",
      database: { ok: true, latencyMs: expect.any(Number) },
      migrations: { ok: true, latest: LATEST_MIGRATION, expected: LATEST_MIGRATION },
    });
    if (process.env.REDIS_URL) expect(readiness.redis).toMatchObject({ ok: true });
    else expect(readiness.redis).toBeNull();
  });

  it("is not ready when the database is behind this build", async () => {
    const readiness = await checkReadiness(testDb(), { expectedMigration: "29991231000000_from_the_future" });
    expect(readiness).toMatchObject({
      status: "not_ready",
      database: { ok: true },
      migrations: { ok: false, error: "migrations are behind this build" },
    });
  });

  it("is not ready while a migration is unfinished (a deploy running, or one that failed)", async () => {
    const id = `test-${Date.now()}`;
    await testDb().$executeRaw`
      INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at, applied_steps_count)
      VALUES (${id}, 'x', '29991231000000_half_done', now(), 0)`;
    try {
      const readiness = await checkReadiness(testDb());
      expect(readiness).toMatchObject({
        status: "not_ready",
        migrations: { ok: false, error: "a migration is unfinished" },
      });
    } finally {
      await testDb().$executeRaw`DELETE FROM _prisma_migrations WHERE id = ${id}`;
    }
    expect((await checkReadiness(testDb())).status).toBe("ready");
  });

  it("counts a check that does not answer in time as down", async () => {
    // A 0 ms deadline: nothing answers that fast, so every check times out.
    const readiness = await checkReadiness(testDb(), { timeoutMs: 0 });
    expect(readiness.status).toBe("not_ready");
    expect(readiness.database).toMatchObject({ ok: false, latencyMs: null, error: "no answer within 0 ms" });
  });
});

describe("readiness while draining", () => {
  it("says draining (503 at /api/health/ready) once SIGTERM has arrived, whatever the checks say", async () => {
    const { markDraining } = await import("@/server/http/lifecycle");
    const flag = globalThis as unknown as { lanesDraining?: boolean };
    markDraining();
    try {
      expect(await checkReadiness(testDb())).toMatchObject({ status: "draining", database: { ok: true } });
    } finally {
      flag.lanesDraining = undefined;
    }
    expect((await checkReadiness(testDb())).status).toBe("ready");
  });
});
