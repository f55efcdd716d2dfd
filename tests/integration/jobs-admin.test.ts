/**
 * The operators' jobs page: per-kind counts, failed and dead jobs with their error, and retrying one
 * by hand. Only people listed in ADMIN_EMAILS (never a workspace role, never an API key).
 */
process.env.ADMIN_EMAILS = "ops@lanes.test";

import { beforeAll, describe, expect, it } from "vitest";
import { testDb } from "../setup/file-db";
import { callerFor, makeWorkspace, type TestUser } from "../helpers/factories";
import { expectApiError } from "../helpers/errors";
import { jobQueue } from "@/server/jobs/queue";

let operator: TestUser;

beforeAll(async () => {
  const user = await testDb().user.create({ data: { email: "ops@lanes.test", handle: "ops" }, select: { id: true } });
  operator = { id: user.id, email: "ops@lanes.test", handle: "ops" };
});

/** A job of `kind` that failed for good: it is failed in its queue, and a copy waits in `<kind>.dead`. */
async function failedJob(kind: string, message: string) {
  const boss = await jobQueue();
  const id = await boss.send(kind, { probe: message }, { retryLimit: 0 });
  const [fetched] = await boss.fetch(kind, { batchSize: 50 }).then((jobs) => jobs.filter((j) => j.id === id));
  expect(fetched, "the job was fetched").toBeTruthy();
  await boss.fail(kind, id!, { message });
  return id!;
}

describe("admin.jobs", () => {
  // First, before this file starts the queue (which makes pg-boss's tables again).
  it("on a new installation, before the queue's first use: every kind at zero, no jobs, nothing to retry", async () => {
    // The run's template has the tables (its setup used the queue); a new installation has not.
    await testDb().$executeRaw`DROP SCHEMA IF EXISTS pgboss CASCADE`;
    const overview = await callerFor(operator).admin.jobs({ show: "all" });
    expect(overview.jobs).toEqual([]);
    expect(overview.queues.map((q) => q.name)).toEqual(
      expect.arrayContaining(["webhook.deliver", "events.publish", "mail.notification"]),
    );
    expect(overview.queues.every((q) => q.dead === 0 && Object.values(q.counts).every((n) => n === 0))).toBe(true);
    await expectApiError(
      callerFor(operator).admin.retryJob({ queue: "maintenance.purge", id: "00000000-0000-4000-8000-000000000000" }),
      "NOT_FOUND",
    );
  });

  it("shows every kind's counts, and failed and dead jobs with their error", async () => {
    const id = await failedJob("maintenance.purge", "disk on fire");
    const overview = await callerFor(operator).admin.jobs({});
    expect(overview.queues.map((q) => q.name)).toEqual(
      expect.arrayContaining(["webhook.deliver", "events.publish", "mail.notification"]),
    );
    const purge = overview.queues.find((q) => q.name === "maintenance.purge")!;
    expect(purge.counts.failed).toBeGreaterThanOrEqual(1);
    expect(purge.dead).toBeGreaterThanOrEqual(1);
    const failed = overview.jobs.find((j) => j.id === id)!;
    expect(failed).toMatchObject({
      kind: "maintenance.purge",
      state: "failed",
      error: "disk on fire",
      data: { probe: "disk on fire" },
    });
    const dead = overview.jobs.find((j) => j.state === "dead" && j.data?.probe === "disk on fire")!;
    expect(dead).toMatchObject({ queue: "maintenance.purge.dead", kind: "maintenance.purge" });
  });

  it("retries a failed job in place, and sends a dead one back to its queue", async () => {
    const id = await failedJob("maintenance.purge", "try again");
    const me = callerFor(operator).admin;
    await me.retryJob({ queue: "maintenance.purge", id });
    const [again] = await testDb().$queryRaw<
      { state: string }[]
    >`SELECT state::text FROM pgboss.job WHERE id = ${id}::uuid`;
    expect(["retry", "created"]).toContain(again!.state);
    const dead = (await me.jobs({})).jobs.find((j) => j.state === "dead" && j.data?.probe === "try again")!;
    await me.retryJob({ queue: dead.queue, id: dead.id });
    const after = await me.jobs({ show: "all" });
    expect(after.jobs.some((j) => j.id === dead.id)).toBe(false);
    expect(
      after.jobs.some((j) => j.queue === "maintenance.purge" && j.data?.probe === "try again" && j.id !== id),
    ).toBe(true);
    // Only failed or dead jobs: a waiting one is not "retried".
    const waiting = after.jobs.find((j) => j.state === "created")!;
    await expectApiError(me.retryJob({ queue: waiting.queue, id: waiting.id }), "CONFLICT");
  });

  it("refuses everyone else, and bad input", async () => {
    const ws = await makeWorkspace();
    await expectApiError(callerFor(ws.owner).admin.jobs({}), "FORBIDDEN");
    await expectApiError(callerFor(null).admin.jobs({}), "UNAUTHORIZED");
    await expectApiError(callerFor(operator).admin.retryJob({ queue: "x", id: "not-a-uuid" }), "BAD_REQUEST");
    await expectApiError(
      callerFor(operator).admin.retryJob({ queue: "maintenance.purge", id: "00000000-0000-4000-8000-000000000000" }),
      "NOT_FOUND",
    );
  });
});
