import { describe, expect, it } from "vitest";
import { affectedRouters, EVERYTHING } from "@/features/live/affected";
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

  it("refetches only the inbox on an inbox hint, nothing on ready", () => {
    expect(affectedRouters({ kind: "inbox" })).toEqual(["notification"]);
    expect(affectedRouters({ kind: "ready", seq: "0" })).toEqual([]);
  });

  it("refetches everything after a reset or an event it does not know", () => {
    expect(affectedRouters({ kind: "reset", seq: "9" })).toBe(EVERYTHING);
    expect(affectedRouters(change("sprint"))).toBe(EVERYTHING);
  });
});
