/**
 * The daily due-soon digest: one email per person with their open tasks due today or tomorrow, or
 * overdue, across workspaces; nothing for done, unassigned, later or archived-project tasks; at most
 * one a day; none for someone who turned it off (in the bell, or with the email's own link).
 */
import { describe, expect, it } from "vitest";
import { testDb } from "../setup/file-db";
import { addMember, callerFor, makeProject, makeTask, makeWorkspace, type TestUser } from "../helpers/factories";
import { notifyDueSoon, sendDueDigests } from "@/server/services/due-digest";
import { JOBS } from "@/server/jobs/definitions";
import { unsubscribe, unsubscribeUrl, verifyUnsubscribe } from "@/server/services/notification-email";

const NOW = new Date("2031-03-10T07:00:00Z");
const day = (offset: number) => new Date(Date.UTC(2031, 2, 10 + offset));

async function task(
  ws: Awaited<ReturnType<typeof makeWorkspace>>,
  projectId: string,
  title: string,
  fields: { due: Date | null; assignee: TestUser | null; status?: "DONE" | "TODO" },
) {
  const created = await makeTask(ws, projectId, { title });
  await testDb().task.update({
    where: { id: created.id },
    data: { dueDate: fields.due, assigneeId: fields.assignee?.id ?? null, status: fields.status ?? "TODO" },
  });
  return created;
}

const digestsTo = (email: string) =>
  testDb().mailboxMessage.findMany({
    where: { to: email, subject: { contains: "due soon" } },
    orderBy: { createdAt: "asc" },
  });

describe("due-soon digest", () => {
  it("lists a person's open tasks due today, tomorrow or overdue, in every workspace, once a day", async () => {
    const a = await makeWorkspace();
    const b = await makeWorkspace();
    const person = await addMember(a, "MEMBER");
    await addMember(b, "MEMBER", person);
    const web = await makeProject(a, "DIG");
    const ops = await makeProject(b, "OPS");
    await task(a, web.id, "Due today", { due: day(0), assignee: person });
    await task(a, web.id, "Due tomorrow", { due: day(1), assignee: person });
    await task(b, ops.id, "Overdue", { due: day(-3), assignee: person });
    await task(a, web.id, "Later", { due: day(2), assignee: person });
    await task(a, web.id, "Done already", { due: day(0), assignee: person, status: "DONE" });
    await task(a, web.id, "Nobody's", { due: day(0), assignee: null });
    const archived = await makeProject(a, "OLD");
    await task(a, archived.id, "In an archived project", { due: day(0), assignee: person });
    await callerFor(a.owner).project.setArchived({ workspaceSlug: a.slug, projectId: archived.id, archived: true });

    expect(await sendDueDigests(testDb(), NOW)).toBeGreaterThanOrEqual(1);
    const [mail, ...more] = await digestsTo(person.email);
    expect(more).toHaveLength(0);
    expect(mail!.subject).toBe("3 tasks due soon (1 overdue)");
    for (const title of ["Due today", "Due tomorrow", "Overdue"]) expect(mail!.text).toContain(title);
    for (const title of ["Later", "Done already", "Nobody's", "In an archived project"])
      expect(mail!.text).not.toContain(title);
    expect(mail!.text).toContain("overdue since 2031-03-07");
    expect(mail!.text).toContain(unsubscribeUrl(person.id, "due-soon"));

    // The same day again (a retried or repeated run): nothing more.
    await sendDueDigests(testDb(), new Date(NOW.getTime() + 3_600_000));
    expect(await digestsTo(person.email)).toHaveLength(1);
    // The next day: again.
    await sendDueDigests(testDb(), new Date(NOW.getTime() + 24 * 3_600_000));
    expect(await digestsTo(person.email)).toHaveLength(2);
  });

  it("sends none to someone who turned it off, in the bell or with the email's link", async () => {
    const ws = await makeWorkspace();
    const inBell = await addMember(ws, "MEMBER");
    const byLink = await addMember(ws, "MEMBER");
    const project = await makeProject(ws);
    await task(ws, project.id, "For the bell person", { due: day(0), assignee: inBell });
    await task(ws, project.id, "For the link person", { due: day(0), assignee: byLink });
    expect(await callerFor(inBell).notification.setEmailPreferences({ emailOnDueSoon: false })).toMatchObject({
      emailOnDueSoon: false,
    });
    const link = new URL(unsubscribeUrl(byLink.id, "due-soon"));
    expect(verifyUnsubscribe(byLink.id, "due-soon", link.searchParams.get("t")!)).toBe(true);
    await unsubscribe(testDb(), byLink.id, "due-soon");
    await sendDueDigests(testDb(), NOW);
    expect(await digestsTo(inBell.email)).toHaveLength(0);
    expect(await digestsTo(byLink.email)).toHaveLength(0);
  });

  it("tells every assignee in the app of each open task due today or tomorrow, once a day, email or not", async () => {
    const ws = await makeWorkspace();
    const wantsMail = await addMember(ws, "MEMBER");
    const noMail = await addMember(ws, "VIEWER");
    await callerFor(noMail).notification.setEmailPreferences({ emailOnDueSoon: false });
    const project = await makeProject(ws, "APP");
    const today = await task(ws, project.id, "Today's", { due: day(0), assignee: wantsMail });
    const tomorrow = await task(ws, project.id, "Tomorrow's", { due: day(1), assignee: noMail });
    await task(ws, project.id, "Overdue (the email lists it; no daily in-app nag)", {
      due: day(-1),
      assignee: wantsMail,
    });
    await task(ws, project.id, "Later", { due: day(2), assignee: wantsMail });
    await task(ws, project.id, "Done", { due: day(0), assignee: wantsMail, status: "DONE" });

    const inbox = async (person: TestUser) =>
      (await callerFor(person).notification.list({ workspaceSlug: ws.slug })).items.map((n) => ({
        type: n.type,
        actor: n.actor,
        task: n.task?.title,
      }));
    expect(await notifyDueSoon(testDb(), NOW)).toBeGreaterThanOrEqual(2);
    expect(await inbox(wantsMail)).toEqual([{ type: "DUE_SOON", actor: null, task: "Today's" }]);
    expect(await inbox(noMail)).toEqual([{ type: "DUE_SOON", actor: null, task: "Tomorrow's" }]);
    // Run again the same day (a retried job): nothing new. The next day: told again of what is still due.
    await notifyDueSoon(testDb(), NOW);
    expect(await inbox(wantsMail)).toHaveLength(1);
    await notifyDueSoon(testDb(), new Date(NOW.getTime() + 24 * 60 * 60 * 1000));
    expect((await inbox(noMail)).map((n) => n.task)).toEqual(["Tomorrow's", "Tomorrow's"]);
    // In-app only: no email job for these.
    const jobs = await testDb().$queryRaw<Array<{ n: bigint }>>`
      SELECT count(*) AS n FROM pgboss.job WHERE name = 'mail.notification'
        AND data->>'notificationId' IN (SELECT id FROM "Notification" WHERE "taskId" IN (${today.id}, ${tomorrow.id}))`;
    expect(jobs[0]!.n).toBe(0n);
  });

  it("runs daily on the queue", () => {
    expect(JOBS["mail.due_digest"].cron).toBe("0 7 * * *");
  });
});
