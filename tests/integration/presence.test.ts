/**
 * Presence on real PostgreSQL: who else has a task open, members only, within the TTL; arrivals and
 * departures (not every heartbeat) reach the workspace's live subscribers on any instance; tenants
 * and bad input are refused.
 */
import { afterAll, describe, expect, it } from "vitest";
import { testDb } from "../setup/file-db";
import { addMember, callerFor, makeProject, makeTask, makeWorkspace, type TestUser } from "../helpers/factories";
import { expectApiError } from "../helpers/errors";
import { createLiveHub, type LiveSubscriber } from "@/server/live/hub";
import { stillMembers } from "@/server/live/instance";
import { closeLiveHub } from "@/server/live/running";
import { PRESENCE_TTL_MS } from "@/shared/schemas/presence";
import { purgeExpired } from "@/server/services/maintenance";

process.env.RATE_LIMIT_DISABLED = "true";

afterAll(async () => {
  await closeLiveHub();
});

async function openTask() {
  const ws = await makeWorkspace();
  const project = await makeProject(ws, "SEE");
  const task = await makeTask(ws, project.id, { title: "Looked at" });
  return { ws, task };
}

/** Each person's first tab, unless another is named. */
const tab = (user: TestUser, n = 1) => `tab${n}-${user.id}`;
const view = (user: TestUser, workspaceSlug: string, taskId: string, tabId = tab(user)) =>
  callerFor(user).presence.view({ workspaceSlug, taskId, tabId });
const leave = (user: TestUser, workspaceSlug: string, taskId: string, tabId = tab(user)) =>
  callerFor(user).presence.leave({ workspaceSlug, taskId, tabId });
const viewersSeenBy = async (user: TestUser, workspaceSlug: string, taskId: string) =>
  (await callerFor(user).presence.task({ workspaceSlug, taskId })).viewers.map((v) => v.id);

describe("presence", () => {
  it("shows each viewer the others who have the task open, and not themselves", async () => {
    const { ws, task } = await openTask();
    const member = await addMember(ws, "MEMBER");
    const viewer = await addMember(ws, "VIEWER");
    expect((await view(ws.owner, ws.slug, task.id)).viewers).toEqual([]);
    const answer = await view(viewer, ws.slug, task.id);
    expect(answer.viewers).toEqual([expect.objectContaining({ id: ws.owner.id, email: ws.owner.email })]);
    expect(await viewersSeenBy(ws.owner, ws.slug, task.id)).toEqual([viewer.id]);
    // Someone who only looks at the list, without the task open, is not counted.
    expect((await viewersSeenBy(member, ws.slug, task.id)).sort()).toEqual([ws.owner.id, viewer.id].sort());
  });

  it("drops a viewer who closed the task, or was not heard from within the TTL", async () => {
    const { ws, task } = await openTask();
    const a = await addMember(ws, "MEMBER");
    const b = await addMember(ws, "MEMBER");
    await view(a, ws.slug, task.id);
    await view(b, ws.slug, task.id);
    await leave(b, ws.slug, task.id);
    expect(await viewersSeenBy(ws.owner, ws.slug, task.id)).toEqual([a.id]);
    await testDb().taskViewer.update({
      where: { taskId_userId_tabId: { taskId: task.id, userId: a.id, tabId: tab(a) } },
      data: { seenAt: new Date(Date.now() - PRESENCE_TTL_MS - 1_000) },
    });
    expect(await viewersSeenBy(ws.owner, ws.slug, task.id)).toEqual([]);
    // The hourly purge removes what a closed tab left behind.
    const report = await purgeExpired(testDb());
    expect(report?.taskViewers).toBeGreaterThanOrEqual(1);
    expect(await testDb().taskViewer.count({ where: { taskId: task.id } })).toBe(0);
  });

  it("counts a person once however many tabs, and keeps them while one tab still has the task open", async () => {
    const { ws, task } = await openTask();
    const twoTabs = await addMember(ws, "MEMBER");
    await view(twoTabs, ws.slug, task.id, tab(twoTabs, 1));
    await view(twoTabs, ws.slug, task.id, tab(twoTabs, 2));
    expect(await viewersSeenBy(ws.owner, ws.slug, task.id)).toEqual([twoTabs.id]);
    await leave(twoTabs, ws.slug, task.id, tab(twoTabs, 1));
    expect(await viewersSeenBy(ws.owner, ws.slug, task.id)).toEqual([twoTabs.id]);
    await leave(twoTabs, ws.slug, task.id, tab(twoTabs, 2));
    expect(await viewersSeenBy(ws.owner, ws.slug, task.id)).toEqual([]);
  });

  it("does not show someone removed from the workspace, and refuses them", async () => {
    const { ws, task } = await openTask();
    const leaving = await addMember(ws, "MEMBER");
    await view(leaving, ws.slug, task.id);
    await testDb().membership.deleteMany({ where: { workspaceId: ws.id, userId: leaving.id } });
    expect(await viewersSeenBy(ws.owner, ws.slug, task.id)).toEqual([]);
    await expectApiError(view(leaving, ws.slug, task.id), "NOT_FOUND");
  });

  it("answers NOT_FOUND for another workspace's task, a deleted task, or an unknown id", async () => {
    const { ws, task } = await openTask();
    const other = await openTask();
    // The other tenant's task, by this workspace's slug: as if it did not exist.
    await expectApiError(view(ws.owner, ws.slug, other.task.id), "NOT_FOUND");
    await expectApiError(
      callerFor(ws.owner).presence.task({ workspaceSlug: ws.slug, taskId: other.task.id }),
      "NOT_FOUND",
    );
    await expectApiError(leave(ws.owner, ws.slug, other.task.id), "NOT_FOUND");
    await expectApiError(view(ws.owner, ws.slug, "no-such-task"), "NOT_FOUND");
    await callerFor(ws.owner).task.delete({ workspaceSlug: ws.slug, taskId: task.id });
    await expectApiError(view(ws.owner, ws.slug, task.id), "NOT_FOUND");
    expect(await testDb().taskViewer.count({ where: { taskId: other.task.id } })).toBe(0);
  });

  it("answers BAD_REQUEST with field errors for bad input", async () => {
    const { ws } = await openTask();
    const error = await expectApiError(view(ws.owner, ws.slug, ""), "BAD_REQUEST");
    expect(error.data.fieldErrors).toHaveProperty("taskId");
    const { task } = await openTask();
    for (const tabId of ["", "short", "has spaces in it", "x".repeat(65)]) {
      const bad = await expectApiError(view(ws.owner, ws.slug, task.id, tabId), "BAD_REQUEST");
      expect(bad.data.fieldErrors).toHaveProperty("tabId");
    }
    await expectApiError(
      callerFor(ws.owner).presence.task({ workspaceSlug: ws.slug, taskId: "x".repeat(65) }),
      "BAD_REQUEST",
    );
  });

  it("tells the workspace's subscribers on every instance when someone opens or closes a task, not on each heartbeat", async () => {
    const { ws, task } = await openTask();
    const other = await openTask();
    const viewer = await addMember(ws, "VIEWER");
    const databaseUrl = process.env.DATABASE_URL!;
    const hubs = [
      createLiveHub(testDb(), databaseUrl, stillMembers),
      createLiveHub(testDb(), databaseUrl, stillMembers),
    ];
    const heard: string[][] = [[], []];
    const subscriber = (index: number): LiveSubscriber => ({
      userId: ws.owner.id,
      workspaceId: ws.id,
      deliver: () => {},
      inboxChanged: () => {},
      presenceChanged: (taskId) => heard[index]!.push(taskId),
      end: () => {},
    });
    try {
      await hubs[0]!.subscribe(subscriber(0));
      await hubs[1]!.subscribe(subscriber(1));
      await view(viewer, ws.slug, task.id);
      await view(viewer, ws.slug, task.id); // a heartbeat: nothing new to tell
      await view(viewer, ws.slug, task.id, tab(viewer, 2)); // a second tab: still one person
      await leave(viewer, ws.slug, task.id, tab(viewer, 2)); // one of two tabs closed: still viewing
      await view(other.ws.owner, other.ws.slug, other.task.id); // another workspace: not ours to hear
      await leave(viewer, ws.slug, task.id);
      await leave(viewer, ws.slug, task.id); // already gone
      await expect.poll(() => heard.map((h) => h.length), { timeout: 5_000 }).toEqual([2, 2]);
      await new Promise((r) => setTimeout(r, 300));
      expect(heard).toEqual([
        [task.id, task.id],
        [task.id, task.id],
      ]);
    } finally {
      await Promise.all(hubs.map((hub) => hub.close()));
    }
  });
});
