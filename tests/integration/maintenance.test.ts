import { describe, expect, it } from "vitest";
import "../setup/file-db";
import { testDb } from "../setup/file-db";
import { callerFor, makeUser, makeWorkspace, uid } from "../helpers/factories";
import { runQueuedJobs } from "../helpers/queued-jobs";
import { purgeExpired, RETENTION } from "@/server/services/maintenance";
import { PURGE_BATCH } from "@/server/db/maintenance";

const DAY = 24 * 60 * 60 * 1000;
const ago = (ms: number) => new Date(Date.now() - ms);
const ahead = (ms: number) => new Date(Date.now() + ms);

describe("purgeExpired", () => {
  it("deletes exactly what has outlived its retention, and keeps the rest", async () => {
    const user = await makeUser("purge");
    const token = () => `t-${uid()}${uid()}`;
    await testDb().session.createMany({
      data: [
        { sessionToken: token(), userId: user.id, expires: ago(1000) },
        { sessionToken: token(), userId: user.id, expires: ahead(DAY) },
      ],
    });
    await testDb().verificationToken.createMany({
      data: [
        { identifier: user.email, token: token(), expires: ago(1000) },
        { identifier: user.email, token: token(), expires: ahead(DAY) },
      ],
    });
    const ws = await makeWorkspace();
    const invite = (email: string) => callerFor(ws.owner).invitation.create({ workspaceSlug: ws.slug, email });
    const oldExpired = await invite(`old-${uid()}@example.test`);
    const recentExpired = await invite(`recent-${uid()}@example.test`);
    const oldRevoked = await invite(`revoked-${uid()}@example.test`);
    const pending = await invite(`pending-${uid()}@example.test`);
    await runQueuedJobs("mail.invitation");
    const keepDays = RETENTION.spentInvitationsDays;
    await testDb().invitation.update({ where: { id: oldExpired.id }, data: { expiresAt: ago((keepDays + 1) * DAY) } });
    await testDb().invitation.update({ where: { id: recentExpired.id }, data: { expiresAt: ago(DAY) } });
    await testDb().invitation.update({ where: { id: oldRevoked.id }, data: { revokedAt: ago((keepDays + 1) * DAY) } });
    const oldMail = await testDb().mailboxMessage.create({
      data: { to: "x@example.test", subject: "old", text: "old", createdAt: ago((RETENTION.mailboxDays + 1) * DAY) },
    });

    const report = await purgeExpired(testDb());
    expect(report).toMatchObject({ sessions: expect.any(Number), signInTokens: expect.any(Number) });
    expect(report!.invitations).toBeGreaterThanOrEqual(2);
    expect(report!.mailboxMessages).toBeGreaterThanOrEqual(1);

    expect(await testDb().session.count({ where: { userId: user.id } })).toBe(1);
    expect(await testDb().session.count({ where: { expires: { lt: new Date() } } })).toBe(0);
    expect(await testDb().verificationToken.count({ where: { identifier: user.email } })).toBe(1);
    const left = (await testDb().invitation.findMany({ where: { workspaceId: ws.id }, select: { id: true } })).map(
      (i) => i.id,
    );
    expect(left.sort()).toEqual([recentExpired.id, pending.id].sort());
    expect(await testDb().mailboxMessage.findUnique({ where: { id: oldMail.id } })).toBeNull();
    // The invitation mails just sent are recent: kept.
    expect(await testDb().mailboxMessage.count({ where: { subject: { startsWith: "Join" } } })).toBeGreaterThanOrEqual(
      4,
    );
  });

  it("does nothing while another process holds the purge (several instances purge once)", async () => {
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    let locked: () => void = () => undefined;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    const holder = testDb().$transaction(async (tx) => {
      await tx.$queryRaw`SELECT pg_advisory_xact_lock(hashtext('lanes:purge-expired'))::text`;
      locked();
      await held;
    });
    await isLocked;
    expect(await purgeExpired(testDb())).toBeNull();
    release();
    await holder;
    expect(await purgeExpired(testDb())).not.toBeNull();
  });
});

describe("a purge backlog", () => {
  it("is worked off in batches until nothing expired is left", async () => {
    const user = await makeUser("backlog");
    const rows = PURGE_BATCH * 2 + 17;
    await testDb().$executeRaw`INSERT INTO "Session" ("sessionToken", "userId", "expires", "createdAt", "updatedAt")
      SELECT 'backlog-' || g || '-' || ${user.id}, ${user.id}, now() - interval '1 day', now(), now() FROM generate_series(1, ${rows}) g`;
    const report = await purgeExpired(testDb());
    expect(report!.sessions).toBeGreaterThanOrEqual(rows);
    expect(await testDb().session.count({ where: { userId: user.id } })).toBe(0);
  });
});
