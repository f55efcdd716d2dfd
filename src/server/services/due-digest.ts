/**
 * The daily due-soon digest (job `mail.due_digest`, 07:00 UTC): one email per person listing their
 * open tasks, in every workspace, due today or tomorrow or already overdue. Only for those who want it
 * (User.emailOnDueSoon; one-click unsubscribe), one a day: the day is recorded after each mail went
 * out, so a run that fails halfway (mail server down) is retried by the queue for the rest, and a
 * repeated run skips who already got theirs. A worker dying between sending and recording can send
 * one twice: at least once, like every Lanes email.
 */
import type { Db } from "@/server/db/client";
import { listDueSoonTasks, listTasksToNotifyDueSoon, listWorkspaceIds, markDigestSent } from "@/server/db/due-digest";
import { notify } from "./notifications";
import { env } from "@/server/env";
import { sendMail } from "@/server/mail/mailer";
import { dueDigestEmail, type DigestTask } from "@/server/mail/templates";
import { formatTaskRef } from "@/shared/tracker";
import { unsubscribeUrl } from "./notification-email";

const DAY_MS = 24 * 60 * 60 * 1000;

function utcDay(date: Date): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
}

type DigestGroup = { workspaceName: string; tasks: DigestTask[] };
type Recipient = { email: string; groups: Map<string, DigestGroup> };

/**
 * The in-app side (always on): each assignee is told, in the task's workspace, of each open task due
 * today or tomorrow, once a day (a repeated run adds nothing). Returns how many notifications it made.
 */
export async function notifyDueSoon(db: Db, now = new Date()): Promise<number> {
  const today = utcDay(now);
  const tomorrow = new Date(today.getTime() + DAY_MS);
  let created = 0;
  for (const workspace of await listWorkspaceIds(db)) {
    const tasks = await listTasksToNotifyDueSoon(db, workspace.id, today, tomorrow, today);
    if (tasks.length === 0) continue;
    await db.$transaction((tx) =>
      notify(
        tx,
        tasks.map((task) => ({
          userId: task.assigneeId!,
          workspaceId: workspace.id,
          type: "DUE_SOON" as const,
          actorId: null,
          taskId: task.id,
          createdAt: now,
        })),
      ),
    );
    created += tasks.length;
  }
  return created;
}

/** Sends today's digests; returns how many people got one. */
export async function sendDueDigests(db: Db, now = new Date()): Promise<number> {
  const today = utcDay(now);
  const tomorrow = new Date(today.getTime() + DAY_MS);
  const recipients = new Map<string, Recipient>();
  for (const workspace of await listWorkspaceIds(db)) {
    for (const task of await listDueSoonTasks(db, workspace.id, tomorrow, today)) {
      const assignee = task.assignee!;
      const recipient: Recipient = recipients.get(assignee.id) ?? {
        email: assignee.email,
        groups: new Map<string, DigestGroup>(),
      };
      recipients.set(assignee.id, recipient);
      const group: DigestGroup = recipient.groups.get(workspace.id) ?? { workspaceName: workspace.name, tasks: [] };
      recipient.groups.set(workspace.id, group);
      const ref = formatTaskRef(task.project.key, task.number);
      group.tasks.push({
        ref,
        title: task.title,
        due: task.dueDate!.toISOString().slice(0, 10),
        overdue: task.dueDate! < today,
        url: new URL(`/w/${workspace.slug}/tasks/${ref}`, env().APP_URL).toString(),
      });
    }
  }
  let sent = 0;
  for (const [userId, recipient] of recipients) {
    await sendMail({
      to: recipient.email,
      ...dueDigestEmail({
        groups: [...recipient.groups.values()],
        homeUrl: new URL("/", env().APP_URL).toString(),
        unsubscribeUrl: unsubscribeUrl(userId, "due-soon"),
      }),
    });
    if (await markDigestSent(db, userId, today)) sent++;
  }
  return sent;
}
