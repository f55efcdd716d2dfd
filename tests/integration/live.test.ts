/**
 * Live updates (`live.workspace`) on real PostgreSQL: every committed event reaches every subscriber
 * once and in order, a resumed subscription continues without gaps or repeats, a removed member stops
 * receiving with the event that removed them, and two hubs (two app instances) both deliver.
 */
import { afterAll, describe, expect, it } from "vitest";
import { TRPCError } from "@trpc/server";
import { testDb } from "../setup/file-db";
import {
  addMember,
  callerFor,
  makeProject,
  makeTask,
  makeUser,
  makeWorkspace,
  type TestUser,
} from "../helpers/factories";
import { closeLiveHub } from "@/server/live/running";
import { createLiveHub } from "@/server/live/hub";
import { stillMembers } from "@/server/live/instance";
import { recordActivity } from "@/server/db/activity";
import { workspaceLiveEvents, type LiveMessage } from "@/server/services/live";
import type { LiveEvent } from "@/shared/schemas/live";
import type { WorkspaceContext } from "@/server/services/context";
import { logger } from "@/server/observability/logger";
import { createCaller } from "@/server/routers/_app";
import { createInnerContext } from "@/server/trpc/context";

process.env.RATE_LIMIT_DISABLED = "true";

afterAll(async () => {
  await closeLiveHub();
});

type Received = { id: string | null; event: LiveEvent };

/** Reads a subscription in the background; `until` waits for a condition on what arrived. */
function follow(iterable: AsyncIterable<unknown>, controller: AbortController) {
  const received: Received[] = [];
  let failure: unknown = null;
  let done = false;
  void (async () => {
    try {
      for await (const value of iterable) {
        // tracked(id, data) arrives as [id, data, symbol]; untracked data as itself.
        if (Array.isArray(value)) received.push({ id: value[0] as string, event: value[1] as LiveEvent });
        else received.push({ id: null, event: value as LiveEvent });
      }
    } catch (error) {
      failure = error;
    } finally {
      done = true;
    }
  })();
  const until = async (check: () => boolean, what: string, timeoutMs = 5_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!check()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; got ${JSON.stringify(received)}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  return {
    received,
    changes: () => received.flatMap((r) => (r.event.kind === "change" ? [r.event] : [])),
    failure: () => failure,
    done: () => done,
    until,
    stop: () => controller.abort(),
  };
}

async function subscribe(user: TestUser, workspaceSlug: string, lastEventId?: string) {
  const controller = new AbortController();
  const caller = createCaller(createInnerContext({ db: testDb(), viewer: { userId: user.id } }), {
    signal: controller.signal,
  });
  const iterable = await caller.live.workspace({ workspaceSlug, lastEventId });
  const stream = follow(iterable as AsyncIterable<unknown>, controller);
  await stream.until(() => stream.received.some((r) => r.event.kind === "ready"), "ready");
  return stream;
}

describe("live.workspace", () => {
  it("sends each committed change, in order, with the task it is about", async () => {
    const ws = await makeWorkspace();
    const viewer = await addMember(ws, "VIEWER");
    const project = await makeProject(ws, "LIVE");
    const stream = await subscribe(viewer, ws.slug);
    const task = await makeTask(ws, project.id, { title: "Seen live" });
    await callerFor(ws.owner).task.update({
      workspaceSlug: ws.slug,
      taskId: task.id,
      version: task.version,
      patch: { title: "Renamed" },
    });
    await stream.until(() => stream.changes().length >= 2, "two changes");
    const [created, updated] = stream.changes();
    expect(created).toMatchObject({
      action: "task.created",
      task: { id: task.id, projectId: project.id, ref: `LIVE-${task.number}` },
    });
    expect(updated).toMatchObject({ action: "task.updated", actorId: ws.owner.id });
    expect(BigInt(updated!.seq)).toBe(BigInt(created!.seq) + 1n);
    // Changes and ready carry their stream position as the SSE id; inbox hints none.
    expect(
      stream.received.filter((r) => r.event.kind === "change").every((r) => r.id === (r.event as { seq: string }).seq),
    ).toBe(true);
    expect(stream.received[0]).toMatchObject({ event: { kind: "ready" } });
    expect(stream.received[0]!.id).toBe((stream.received[0]!.event as { seq: string }).seq);
    stream.stop();
  });

  it("resumes after the last event id without missing or repeating one", async () => {
    const ws = await makeWorkspace();
    const project = await makeProject(ws);
    const first = await subscribe(ws.owner, ws.slug);
    const task = await makeTask(ws, project.id);
    await first.until(() => first.changes().length === 1, "the first change");
    const lastSeen = first.changes()[0]!.seq;
    first.stop();
    // While nobody listens: three more changes.
    let version = task.version;
    for (const title of ["one", "two", "three"]) {
      const updated = await callerFor(ws.owner).task.update({
        workspaceSlug: ws.slug,
        taskId: task.id,
        version,
        patch: { title },
      });
      version = updated.version;
    }
    const resumed = await subscribe(ws.owner, ws.slug, lastSeen);
    await makeTask(ws, project.id, { title: "after" });
    await resumed.until(() => resumed.changes().length === 4, "three replayed and one live");
    const seqs = resumed.changes().map((c) => BigInt(c.seq));
    expect(seqs).toEqual([1n, 2n, 3n, 4n].map((n) => BigInt(lastSeen) + n));
    expect(resumed.changes().map((c) => c.action)).toEqual([
      "task.updated",
      "task.updated",
      "task.updated",
      "task.created",
    ]);
    resumed.stop();
  });

  it("resumes a client that reconnects before any change arrived (from ready's id)", async () => {
    const ws = await makeWorkspace();
    const project = await makeProject(ws);
    const quiet = await subscribe(ws.owner, ws.slug);
    const readyId = quiet.received[0]!.id!;
    quiet.stop();
    const task = await makeTask(ws, project.id, { title: "While away" });
    const back = await subscribe(ws.owner, ws.slug, readyId);
    expect(back.changes().map((c) => c.entityId)).toEqual([task.id]);
    expect(back.received.map((r) => r.event.kind)).toEqual(["change", "ready"]);
    back.stop();
  });

  it("numbers concurrent changes without gaps, and every subscriber sees each once", async () => {
    const ws = await makeWorkspace();
    const project = await makeProject(ws);
    const a = await subscribe(ws.owner, ws.slug);
    const b = await subscribe(ws.owner, ws.slug);
    const writers = 6;
    const perWriter = 8;
    await Promise.all(
      Array.from({ length: writers }, async (_, w) => {
        for (let i = 0; i < perWriter; i++) await makeTask(ws, project.id, { title: `w${w}-${i}` });
      }),
    );
    const total = writers * perWriter;
    for (const stream of [a, b]) {
      await stream.until(() => stream.changes().length >= total, `${total} changes`);
      const seqs = stream.changes().map((c) => Number(c.seq));
      expect(seqs).toEqual(Array.from({ length: total }, (_, i) => seqs[0]! + i));
      stream.stop();
    }
    const rows = await testDb().activityEvent.findMany({
      where: { workspaceId: ws.id },
      orderBy: { seq: "asc" },
      select: { seq: true },
    });
    expect(rows.map((r) => Number(r.seq))).toEqual(rows.map((_, i) => i + 1));
  });

  it("leaves no gap for a change that rolled back", async () => {
    const ws = await makeWorkspace();
    const project = await makeProject(ws);
    const stream = await subscribe(ws.owner, ws.slug);
    await expect(
      testDb().$transaction(async (tx) => {
        await recordActivity(tx, {
          workspaceId: ws.id,
          action: "task.created",
          entityType: "task",
          entityId: "phantom",
        });
        throw new Error("rolled back");
      }),
    ).rejects.toThrow("rolled back");
    await makeTask(ws, project.id);
    await makeTask(ws, project.id);
    await stream.until(() => stream.changes().length === 2, "two changes");
    const [x, y] = stream.changes();
    expect(BigInt(y!.seq) - BigInt(x!.seq)).toBe(1n);
    expect(stream.changes().some((c) => c.entityId === "phantom")).toBe(false);
    stream.stop();
  });

  it("tells a person when their own inbox changes, and no one else", async () => {
    const ws = await makeWorkspace();
    const project = await makeProject(ws);
    const mentioned = await addMember(ws, "MEMBER");
    const bystander = await addMember(ws, "MEMBER");
    const task = await makeTask(ws, project.id);
    const theirs = await subscribe(mentioned, ws.slug);
    const other = await subscribe(bystander, ws.slug);
    await callerFor(ws.owner).comment.create({
      workspaceSlug: ws.slug,
      taskId: task.id,
      body: `Look @${mentioned.handle}`,
    });
    await theirs.until(() => theirs.received.some((r) => r.event.kind === "inbox"), "the inbox hint");
    await other.until(() => other.changes().some((c) => c.action === "comment.created"), "the comment");
    expect(other.received.some((r) => r.event.kind === "inbox")).toBe(false);
    // Reading it changes the inbox too (the bell on another tab follows).
    await callerFor(mentioned).notification.markRead({ workspaceSlug: ws.slug });
    const hints = () => theirs.received.filter((r) => r.event.kind === "inbox").length;
    await theirs.until(() => hints() >= 2, "a second inbox hint");
    theirs.stop();
    other.stop();
  });

  it("tells someone, in the workspace they are looking at, when another workspace invites or un-invites them", async () => {
    const home = await makeWorkspace();
    const person = await addMember(home, "MEMBER");
    const bystander = await addMember(home, "MEMBER");
    const stream = await subscribe(person, home.slug);
    const other = await subscribe(bystander, home.slug);
    const inviting = await makeWorkspace();
    const invitation = await callerFor(inviting.owner).invitation.create({
      workspaceSlug: inviting.slug,
      email: person.email,
    });
    const hints = () => stream.received.filter((r) => r.event.kind === "inbox").length;
    await stream.until(() => hints() === 1, "an inbox hint for the invitation");
    await callerFor(inviting.owner).invitation.revoke({ workspaceSlug: inviting.slug, invitationId: invitation.id });
    await stream.until(() => hints() === 2, "an inbox hint for the withdrawal");
    expect(other.received.some((r) => r.event.kind === "inbox")).toBe(false);
    stream.stop();
    other.stop();
  });

  it("says, untracked, when someone opens or closes a task (who: presence.task)", async () => {
    const ws = await makeWorkspace();
    const project = await makeProject(ws);
    const task = await makeTask(ws, project.id);
    const looker = await addMember(ws, "VIEWER");
    const stream = await subscribe(ws.owner, ws.slug);
    await callerFor(looker).presence.view({ workspaceSlug: ws.slug, taskId: task.id, tabId: "first-tab" });
    const hints = () => stream.received.filter((r) => r.event.kind === "presence");
    await stream.until(() => hints().length === 1, "the presence hint");
    expect(hints()[0]).toEqual({ id: null, event: { kind: "presence", taskId: task.id } });
    await callerFor(looker).presence.leave({ workspaceSlug: ws.slug, taskId: task.id, tabId: "first-tab" });
    await stream.until(() => hints().length === 2, "a second presence hint");
    stream.stop();
  });

  it("stops a removed member's stream with the removal, and keeps the others'", async () => {
    const ws = await makeWorkspace();
    const project = await makeProject(ws);
    const leaving = await addMember(ws, "MEMBER");
    const staying = await addMember(ws, "VIEWER");
    const gone = await subscribe(leaving, ws.slug);
    const kept = await subscribe(staying, ws.slug);
    const membership = await testDb().membership.findFirstOrThrow({
      where: { workspaceId: ws.id, userId: leaving.id },
    });
    await callerFor(ws.owner).member.remove({ workspaceSlug: ws.slug, memberId: membership.id });
    await gone.until(() => gone.done(), "the removed member's stream to end");
    expect(gone.failure()).toBeInstanceOf(TRPCError);
    expect((gone.failure() as TRPCError).code).toBe("NOT_FOUND");
    expect(gone.changes().some((c) => c.action === "member.removed")).toBe(false);
    await makeTask(ws, project.id, { title: "after the removal" });
    await kept.until(() => kept.changes().some((c) => c.action === "task.created"), "the next change");
    expect(kept.changes().map((c) => c.action)).toEqual(["member.removed", "task.created"]);
    // And they cannot come back in.
    await expect(callerFor(leaving).live.workspace({ workspaceSlug: ws.slug })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    kept.stop();
  });

  it("refuses bad input, other tenants and API keys", async () => {
    const ws = await makeWorkspace();
    const outsider = await makeUser("outsider");
    await expect(
      callerFor(ws.owner).live.workspace({ workspaceSlug: ws.slug, lastEventId: "abc" }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(
      callerFor(ws.owner).live.workspace({ workspaceSlug: ws.slug, lastEventId: "-1" }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(callerFor(outsider).live.workspace({ workspaceSlug: ws.slug })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(callerFor(null).live.workspace({ workspaceSlug: ws.slug })).rejects.toMatchObject({
      code: "UNAUTHORIZED",
    });
  });

  it("live.position: a page that read it before its data, then subscribes from it, gets what changed in between", async () => {
    const ws = await makeWorkspace();
    const project = await makeProject(ws);
    const viewer = await addMember(ws, "VIEWER");
    const position = await callerFor(viewer).live.position({ workspaceSlug: ws.slug });
    // What a fresh subscription would start from now: the same position.
    const fresh = await subscribe(viewer, ws.slug);
    expect(fresh.received[0]!.event).toEqual({ kind: "ready", seq: position.seq });
    fresh.stop();
    // The page renders its data, and before its subscription is live someone adds a task.
    const task = await makeTask(ws, project.id, { title: "While the page loaded" });
    const page = await subscribe(viewer, ws.slug, position.seq);
    expect(page.changes().map((c) => [c.action, c.entityId])).toEqual([["task.created", task.id]]);
    expect(page.received.map((r) => r.event.kind)).toEqual(["change", "ready"]);
    expect(await callerFor(viewer).live.position({ workspaceSlug: ws.slug })).toEqual({
      seq: page.changes()[0]!.seq,
    });
    page.stop();
  });

  it("live.position refuses bad input, outsiders, other tenants and nobody", async () => {
    const ws = await makeWorkspace();
    const other = await makeWorkspace();
    const outsider = await makeUser("outsider");
    await expect(callerFor(ws.owner).live.position({ workspaceSlug: "" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    await expect(
      callerFor(ws.owner).live.position({ workspaceSlug: ws.slug, extra: true } as { workspaceSlug: string }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(callerFor(outsider).live.position({ workspaceSlug: ws.slug })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    // The owner of another workspace: not found either, not its position.
    await expect(callerFor(other.owner).live.position({ workspaceSlug: ws.slug })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(callerFor(null).live.position({ workspaceSlug: ws.slug })).rejects.toMatchObject({
      code: "UNAUTHORIZED",
    });
  });

  it("sends reset instead of a replay to a client too far behind, or ahead of the stream", async () => {
    const ws = await makeWorkspace();
    const ahead = await subscribe(ws.owner, ws.slug, "999999");
    expect(ahead.received.map((r) => r.event.kind)).toEqual(["reset", "ready"]);
    ahead.stop();
  });

  it("delivers through a second hub, as a second app instance would", async () => {
    const ws = await makeWorkspace();
    const project = await makeProject(ws);
    const second = createLiveHub(testDb(), process.env.DATABASE_URL ?? "", stillMembers);
    const controller = new AbortController();
    const membership = await testDb().membership.findFirstOrThrow({
      where: { workspaceId: ws.id, userId: ws.owner.id },
    });
    const ctx: WorkspaceContext = {
      db: testDb(),
      userId: ws.owner.id,
      role: "OWNER",
      membershipId: membership.id,
      workspace: { id: ws.id, slug: ws.slug, name: "", createdAt: new Date() },
      requestId: "test",
      log: logger,
    };
    const generator: AsyncGenerator<LiveMessage, void> = workspaceLiveEvents(ctx, {}, controller.signal, second);
    const stream = follow(
      (async function* () {
        for await (const m of generator) yield m.id === null ? m.event : [m.id, m.event];
      })(),
      controller,
    );
    await stream.until(() => stream.received.length > 0, "ready");
    const task = await makeTask(ws, project.id);
    await stream.until(() => stream.changes().length === 1, "the change");
    expect(stream.changes()[0]!.task?.id).toBe(task.id);
    // Stopping the instance ends its streams with a retryable error.
    await second.close();
    await stream.until(() => stream.done(), "the stream to end");
    expect(stream.failure()).toMatchObject({ code: "UNAVAILABLE", details: { retryAfterSeconds: 1 } });
  });
});
