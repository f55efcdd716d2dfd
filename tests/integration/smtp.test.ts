/**
 * Mail over real SMTP (MAIL_TRANSPORT=smtp, nodemailer) to an SMTP server in this process: a mention's
 * email arrives with text and HTML bodies and a List-Unsubscribe header; an invitation too; a server
 * that refuses (a temporary 451) fails the job, which the queue retries, and the mail goes out once
 * the server accepts again. Nothing is recorded as sent until it was. When that server is stopped,
 * five failed sends open the breaker and the next fails at once without connecting; restarted on
 * the same port, it receives mail again once the breaker's pause is over.
 */
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import net from "node:net";
import nodemailer from "nodemailer";
import { SMTPServer } from "smtp-server";

type Received = { from: string; to: string[]; raw: string };
const received: Received[] = [];
let refuse = false;

/** An SMTP server on `port` (0: any free one) that keeps what it accepts in `received`, or refuses (451) while `refuse`. */
async function startSmtpServer(port: number): Promise<SMTPServer> {
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        if (refuse) {
          callback(Object.assign(new Error("Mailbox busy, try again later"), { responseCode: 451 }));
          return;
        }
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString("utf8"),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(port, "127.0.0.1", () => resolve()));
  return smtp;
}

const stopSmtpServer = (smtp: SMTPServer) => new Promise<void>((resolve) => smtp.close(() => resolve()));

/** The server listening now: the breaker test stops it and starts another on the same port. */
let server = await startSmtpServer(0);
const smtpPort = (server.server.address() as AddressInfo).port;
// Set before anything reads the configuration.
process.env.MAIL_TRANSPORT = "smtp";
process.env.SMTP_URL = `smtp://127.0.0.1:${smtpPort}`;
process.env.MAIL_FROM = "Lanes Test <lanes@example.test>";
process.env.RATE_LIMIT_DISABLED = "true";

const { testDb } = await import("../setup/file-db");
const { addMember, callerFor, makeProject, makeTask, makeWorkspace } = await import("../helpers/factories");
const { JOBS } = await import("@/server/jobs/definitions");
const { smtpUrlWithTimeouts, smtpBreaker, sendMail } = await import("@/server/mail/mailer");
const { CircuitOpenError } = await import("@/server/http/circuit-breaker");

afterAll(() => stopSmtpServer(server));
beforeAll(() => {
  received.length = 0;
});

const mailTo = (address: string) => received.filter((m) => m.to.includes(address));

describe("SMTP timeouts", () => {
  it("adds Lanes' timeouts to SMTP_URL unless it sets its own", () => {
    const url = new URL(smtpUrlWithTimeouts("smtps://user:pa%20ss@mail.example.com:465?socketTimeout=5000"));
    expect(Object.fromEntries(url.searchParams)).toEqual({
      socketTimeout: "5000",
      connectionTimeout: "10000",
      greetingTimeout: "10000",
    });
    expect(url.username).toBe("user");
    expect(url.password).toBe("pa%20ss");
  });

  it("nodemailer honours them: a server that accepts and never greets fails the send at once, not in minutes", async () => {
    const silent = net.createServer(() => {}); // accepts, says nothing
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", () => resolve()));
    try {
      const port = (silent.address() as AddressInfo).port;
      const transport = nodemailer.createTransport(
        smtpUrlWithTimeouts(`smtp://127.0.0.1:${port}?greetingTimeout=300&socketTimeout=300`),
      );
      const started = Date.now();
      await expect(
        transport.sendMail({ from: "a@example.test", to: "b@example.test", subject: "x", text: "x" }),
      ).rejects.toThrow(/greeting|timeout/i);
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      silent.close();
    }
  });
});

describe("mail over SMTP", () => {
  it("sends a mention's email with text, HTML and an unsubscribe header", async () => {
    const ws = await makeWorkspace();
    const member = await addMember(ws, "MEMBER");
    const project = await makeProject(ws, "SMTP");
    const task = await makeTask(ws, project.id, { title: "Over the wire" });
    await callerFor(ws.owner).comment.create({ workspaceSlug: ws.slug, taskId: task.id, body: `@${member.handle} hi` });
    const notification = await testDb().notification.findFirstOrThrow({ where: { userId: member.id } });
    await JOBS["mail.notification"].run({ notificationId: notification.id }, { id: "smtp-test" });

    const [mail, ...more] = mailTo(member.email);
    expect(more).toHaveLength(0);
    expect(mail!.from).toBe("lanes@example.test");
    expect(mail!.raw).toMatch(/^Subject: /m);
    expect(mail!.raw).toContain("SMTP-");
    expect(mail!.raw).toMatch(/^Content-Type: multipart\/alternative/m);
    expect(mail!.raw).toMatch(/^Content-Type: text\/plain/m);
    expect(mail!.raw).toMatch(/^Content-Type: text\/html/m);
    // Folded onto the next line when long, as RFC 5322 allows.
    expect(mail!.raw).toMatch(/^List-Unsubscribe:\s+<https?:\/\/[^>]+\/unsubscribe\?/m);
    expect(
      (await testDb().notification.findUniqueOrThrow({ where: { id: notification.id } })).emailedAt,
    ).not.toBeNull();
  });

  it("a server that refuses fails the job (the queue retries it); nothing counts as sent until it went", async () => {
    const ws = await makeWorkspace();
    const email = `smtp-invitee-${Date.now()}@example.test`;
    const invitation = await callerFor(ws.owner).invitation.create({ workspaceSlug: ws.slug, email });
    const run = () => JOBS["mail.invitation"].run({ invitationId: invitation.id }, { id: "smtp-test" });

    refuse = true;
    await expect(run()).rejects.toThrow(/451|busy/i);
    const waiting = await testDb().invitation.findUniqueOrThrow({ where: { id: invitation.id } });
    expect(waiting).toMatchObject({ emailedAt: null, tokenSealed: expect.any(String) });
    expect(mailTo(email)).toHaveLength(0);

    refuse = false;
    await run();
    await run();
    expect(mailTo(email)).toHaveLength(1);
    expect(mailTo(email)[0]!.raw).toMatch(/\/invite\//);
    const sent = await testDb().invitation.findUniqueOrThrow({ where: { id: invitation.id } });
    expect(sent).toMatchObject({ emailedAt: expect.any(Date), tokenSealed: null });
  });
});

describe("a mail server that is down", () => {
  it("opens the breaker after five failed sends: the next fail at once without connecting; it closes once the server is back", async () => {
    const mail = { to: "down@example.test", subject: "Down", text: "x" };
    await sendMail({ ...mail, to: "before@example.test" });
    expect(mailTo("before@example.test")).toHaveLength(1);
    expect(smtpBreaker.state).toBe("closed");

    // The relay goes down: its port now refuses connections (SMTP_URL still points at it).
    await stopSmtpServer(server);
    for (let i = 0; i < 5; i++) await expect(sendMail(mail)).rejects.toThrow(/ECONNREFUSED|connect/i);
    expect(smtpBreaker.state).toBe("open");

    // It comes back on the same port; while the breaker is open, a send fails at once and does not connect.
    server = await startSmtpServer(smtpPort);
    let connections = 0;
    server.server.on("connection", () => connections++);
    const started = Date.now();
    await expect(sendMail(mail)).rejects.toBeInstanceOf(CircuitOpenError);
    expect(Date.now() - started).toBeLessThan(50);
    expect(connections).toBe(0);
    expect(mailTo("down@example.test")).toHaveLength(0);

    // After its pause the breaker lets one send through to the restarted server, which closes it.
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + 30_000 });
    try {
      expect(smtpBreaker.state).toBe("half-open");
      await sendMail({ ...mail, to: "back@example.test" });
      expect(smtpBreaker.state).toBe("closed");
      expect(connections).toBe(1);
      expect(mailTo("back@example.test")).toHaveLength(1);
    } finally {
      vi.useRealTimers();
    }
  });
});
