import { describe, expect, it } from "vitest";
import { commentExcerpt, describeActivity, taskLabel } from "@/features/activity/describe";
import type { ActivityDto } from "@/shared/schemas/activity";

const base = { id: "e1", entityId: "x", actor: null, apiKey: null, createdAt: new Date("2026-12-01T00:00:00Z") };
const task = { id: "t1", ref: "WEB-3", title: "Fix login", deleted: false };
const people = new Map([["u1", "Alice"]]);

describe("describeActivity", () => {
  it("describes webhook changes by host, never by URL", () => {
    const of = (action: ActivityDto["action"], before: unknown, after: unknown) =>
      describeActivity({ ...base, entityType: "webhook", task: null, action, before, after } as ActivityDto);
    const fields = { host: "hooks.example.com", events: ["*"] };
    expect(of("webhook.created", null, fields)).toBe("added a webhook to hooks.example.com");
    expect(of("webhook.deleted", fields, null)).toBe("removed the webhook to hooks.example.com");
    expect(of("webhook.secret_rotated", null, null)).toBe("rotated a webhook's signing secret");
    expect(of("webhook.updated", { enabled: true }, { enabled: false })).toBe("turned a webhook off");
    expect(of("webhook.updated", { enabled: false }, { enabled: true })).toBe("turned a webhook back on");
    expect(of("webhook.updated", { host: "a.example" }, { host: "b.example" })).toBe("pointed a webhook at b.example");
    expect(of("webhook.updated", { events: ["*"] }, { events: ["task.created"] })).toBe(
      "changed the events a webhook hears",
    );
    // Unreadable stored data, or a reader who may not see where webhooks point: said without the host.
    expect(of("webhook.created", null, null)).toBe("added a webhook");
    expect(of("webhook.deleted", { host: null, events: ["*"] }, null)).toBe("removed a webhook");
    expect(of("webhook.updated", { host: null }, { host: null })).toBe("pointed a webhook elsewhere");
    expect(of("webhook.updated", {}, { urlChanged: true })).toBe("pointed a webhook elsewhere");
  });

  it("describes task changes field by field, descriptions without their text", () => {
    const event: ActivityDto = {
      ...base,
      action: "task.updated",
      entityType: "task",
      task,
      before: { title: "Old", status: "TODO", assigneeId: null, description: { length: 10 } },
      after: { title: "New", status: "DONE", assigneeId: "u1", description: { length: 12 } },
    };
    expect(describeActivity(event, people)).toBe(
      "changed title from “Old” to “New”, edited the description, changed status from Todo to Done, changed assignee from nobody to Alice on WEB-3",
    );
  });

  it("says a title changed without quoting titles it may not show", () => {
    const event: ActivityDto = {
      ...base,
      action: "task.updated",
      entityType: "task",
      task: { ...task, title: null, deleted: true },
      before: { title: null },
      after: { title: null },
    };
    expect(describeActivity(event)).toBe("changed the title on WEB-3");
    const deleted: ActivityDto = {
      ...base,
      action: "task.deleted",
      entityType: "task",
      task: null,
      before: { title: null, status: "TODO" },
      after: null,
    };
    expect(describeActivity(deleted)).toBe("deleted");
    expect(describeActivity({ ...deleted, before: { title: "Fix login", status: "TODO" } })).toBe(
      "deleted “Fix login”",
    );
  });

  it("names an invitee only when the server sent the address", () => {
    const event: ActivityDto = {
      ...base,
      action: "invitation.created",
      entityType: "invitation",
      task: null,
      before: null,
      after: { email: null, role: "ADMIN" },
    };
    expect(describeActivity(event)).toBe("invited someone as admin");
    expect(describeActivity({ ...event, after: { email: "bo@example.com", role: "ADMIN" } })).toBe(
      "invited bo@example.com as admin",
    );
  });

  it("copes with events whose details were unreadable", () => {
    const event: ActivityDto = { ...base, action: "task.updated", entityType: "task", task, before: null, after: null };
    expect(describeActivity(event)).toBe("changed WEB-3");
    expect(
      describeActivity({
        ...base,
        action: "member.role_changed",
        entityType: "member",
        task: null,
        before: null,
        after: null,
      }),
    ).toBe("changed a member's role");
  });
});

describe("taskLabel and commentExcerpt", () => {
  it("marks deleted tasks, with or without a title", () => {
    expect(taskLabel(task)).toBe("Fix login");
    expect(taskLabel({ ...task, deleted: true })).toBe("Fix login (deleted)");
    expect(taskLabel({ ...task, title: null, deleted: true })).toBe("(deleted task)");
  });

  it("quotes a live comment only", () => {
    const event: ActivityDto = {
      ...base,
      action: "comment.created",
      entityType: "comment",
      task,
      comment: { id: "c1", excerpt: "hello", deleted: false },
      before: null,
      after: { mentioned: [] },
    };
    expect(commentExcerpt(event)).toBe("hello");
    expect(commentExcerpt({ ...event, comment: { id: "c1", excerpt: null, deleted: true } })).toBeNull();
    expect(describeActivity(event)).toBe("commented on WEB-3");
  });
});
