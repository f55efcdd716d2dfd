import { describe, expect, it, vi } from "vitest";
import { affectedRouters, EVERYTHING } from "@/features/live/affected";
import { GATHER_MS, StaleMarker } from "@/features/live/stale-marker";
import type { LiveChange } from "@/shared/schemas/live";

const change = (entityType: string, action = `${entityType}.updated`): LiveChange => ({
  kind: "change",
  seq: "1",
  action,
  entityType,
  entityId: "x",
  actorId: null,
  task: null,
  commentId: null,
});

describe("affectedRouters", () => {
  it("refetches a task's lists, page, history, search and project counts after a task change", () => {
    expect([...affectedRouters(change("task"))].sort()).toEqual(["activity", "project", "search", "task"]);
  });

  it("refetches the role holder's workspace after a member change (role shown, removal noticed)", () => {
    expect(affectedRouters(change("member", "member.role_changed"))).toContain("workspace");
  });

  it("refetches only the inbox (and one's invitations) on an inbox hint, nothing on ready", () => {
    expect(affectedRouters({ kind: "inbox" })).toEqual(["notification", "invitation"]);
    expect(affectedRouters({ kind: "ready", seq: "0" })).toEqual([]);
  });

  it("refetches everything after a reset or an event it does not know", () => {
    expect(affectedRouters({ kind: "reset", seq: "9" })).toBe(EVERYTHING);
    expect(affectedRouters(change("sprint"))).toBe(EVERYTHING);
  });
});

describe("StaleMarker", () => {
  it("invalidates once for a burst, waits while this tab edits, and refreshes the inbox after a reconnection", async () => {
    vi.useFakeTimers();
    try {
      const calls: string[][] = [];
      let busy = false;
      const marker = new StaleMarker(
        (routers) => calls.push([...routers].sort()),
        () => busy,
      );
      marker.receive({ kind: "ready", seq: "1" });
      marker.receive(change("task"));
      marker.receive(change("comment"));
      busy = true;
      await vi.advanceTimersByTimeAsync(GATHER_MS * 3);
      expect(calls).toEqual([]);
      busy = false;
      await vi.advanceTimersByTimeAsync(GATHER_MS);
      expect(calls).toEqual([["activity", "comment", "project", "search", "task"]]);
      marker.receive({ kind: "ready", seq: "5" });
      await vi.advanceTimersByTimeAsync(GATHER_MS);
      expect(calls[1]).toEqual(["invitation", "notification", "presence"]);
    } finally {
      vi.useRealTimers();
    }
  });
});
