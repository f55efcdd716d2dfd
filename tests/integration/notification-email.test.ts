/**
 * Mention and assignment emails through the job queue, on real PostgreSQL: the job is enqueued with
 * the notification (and only if the change commits), runs once per notification however often it is
 * run, respects the person's choice, says nothing about deleted tasks, and its signed unsubscribe link
 * turns that kind off.
 */
import { describe, expect, it } from "vitest";
import { jobIdFor } from "@/server/jobs/queue";
import { JOBS } from "@/server/jobs/definitions";
import {
  sendNotificationEmail,
  unsubscribe,
  unsubscribeUrl,
  verifyUnsubscribe,
} from "@/server/services/notification-email";
import { testDb } from "../setup/file-db";
import { expectApiError } from "../helpers/errors";
import { addMember, callerFor, makeProject, makeTask, makeWorkspace } from "../helpers/factories";

async function notificationsOf(userId: string) {
  return testDb().notification.findMany({ where: { userId }, orderBy: { createdAt: "asc" } });
}

async function queuedMailFor(notificationId: string) {
  return testDb().$queryRaw<Array<{ state: string; data: unknown }>>`
    SELECT state::text, data FROM pgboss.job WHERE id = ${jobIdFor("mail.notification", notificationId)}::uuid`;
}

async function mailTo(email: string) {
  return testDb().mailboxMessage.findMany({ where: { to: email }, orderBy: { createdAt: "asc" } });
}

async function assignedTask() {
  const ws = await makeWorkspace();
  const member = await addMember(ws, "MEMBER");
  const project = await makeProject(ws);
  const task = await makeTask(ws, project.id, { title: "Write the release notes" });
  await callerFor(ws.owner).task.update({
    workspaceSlug: ws.slug,
    taskId: task.id,
    version: task.version,
    patch: { assigneeId: member.id },
  });
  const [notification] = await notificationsOf(member.id);
  return { ws, member, task, notification: notification! };
}

describe("notification emails", () => {
  it("an assignment enqueues one email job in the same transaction as its notification", async () => {
    const { notification } = await assignedTask();
    expect(notification.type).toBe("ASSIGNED");
    const jobs = await queuedMailFor(notification.id);
    expect(jobs).toEqual([{ state: "created", data: { notificationId: notification.id } }]);
  });

  it("a comment mentioning two people enqueues one email job for each (rollback leaves none: jobs.test.ts)", async () => {
    const ws = await makeWorkspace();
    const first = await addMember(ws, "MEMBER");
    const second = await addMember(ws, "VIEWER");
    const project = await makeProject(ws);
    const task = await makeTask(ws, project.id);
    await callerFor(ws.owner).comment.create({
      workspaceSlug: ws.slug,
      taskId: task.id,
      body: `@${first.handle} and @${second.handle}, look`,
    });
    for (const person of [first, second]) {
      const [mention] = await notificationsOf(person.id);
      expect(mention?.type).toBe("MENTION");
      expect(await queuedMailFor(mention!.id)).toHaveLength(1);
    }
  });

  it("the job sends the email once, however often it runs, with a link to the task and to stop them", async () => {
    const { ws, member, task, notification } = await assignedTask();
    const run = () => JOBS["mail.notification"].run({ notificationId: notification.id }, { id: "test" });
    await run();
    await run();
    const mail = await mailTo(member.email);
    expect(mail).toHaveLength(1);
    expect(mail[0]!.subject).toContain(`assigned you ${task.ref}: Write the release notes`);
    expect(mail[0]!.text).toContain(`/w/${ws.slug}/tasks/${task.ref}`);
    expect(mail[0]!.text).toContain(unsubscribeUrl(member.id, "assignments"));
    expect(
      (await testDb().notification.findUniqueOrThrow({ where: { id: notification.id } })).emailedAt,
    ).not.toBeNull();
  });

  it("sends nothing to someone who turned that kind off, or about a task deleted since", async () => {
    const off = await assignedTask();
    await unsubscribe(testDb(), off.member.id, "assignments");
    expect(await sendNotificationEmail(testDb(), off.notification.id)).toBe("skipped");
    expect(await mailTo(off.member.email)).toEqual([]);

    const deleted = await assignedTask();
    await callerFor(deleted.ws.owner).task.delete({ workspaceSlug: deleted.ws.slug, taskId: deleted.task.id });
    expect(await sendNotificationEmail(testDb(), deleted.notification.id)).toBe("skipped");
  });

  it("a person reads and changes their own choice (unknown fields refused)", async () => {
    const ws = await makeWorkspace();
    const me = callerFor(ws.owner).notification;
    expect(await me.emailPreferences()).toEqual({
      emailOnMention: true,
      emailOnAssignment: true,
      emailOnDueSoon: true,
    });
    expect(await me.setEmailPreferences({ emailOnMention: false })).toEqual({
      emailOnMention: false,
      emailOnAssignment: true,
      emailOnDueSoon: true,
    });
    // A field the input type does not have, as a hand-written client could send: cast past the type on purpose.
    await expectApiError(me.setEmailPreferences({ emailOnEverything: false } as never), "BAD_REQUEST");
  });

  it("the unsubscribe link is signed for one person and one kind", () => {
    const url = new URL(unsubscribeUrl("user-1", "mentions"));
    const [u, k, t] = ["u", "k", "t"].map((name) => url.searchParams.get(name) ?? "") as [string, string, string];
    expect(verifyUnsubscribe(u, k, t)).toBe(true);
    expect(verifyUnsubscribe("user-2", k, t)).toBe(false);
    expect(verifyUnsubscribe(u, "assignments", t)).toBe(false);
    expect(verifyUnsubscribe(u, "toString", t)).toBe(false);
    expect(verifyUnsubscribe(u, k, `${t.slice(0, -1)}x`)).toBe(false);
  });
});
