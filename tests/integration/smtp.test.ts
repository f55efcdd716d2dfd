/**
 * Mail over real SMTP (MAIL_TRANSPORT=smtp, nodemailer) to an SMTP server in this process: a mention's
 * email arrives with text and HTML bodies and a List-Unsubscribe header; an invitation too; a server
 * that refuses (a temporary 451) fails the job, which the queue retries, and the mail goes out once
 * the server accepts again. Nothing is recorded as sent until it was.
 */
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import net from "node:net";
import nodemailer from "nodemailer";
import { SMTPServer } from "smtp-server";

type Received = { from: string; to: string[]; raw: string };
const received: Received[] = [];
let refuse = false;

const server = new SMTPServer({
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
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
// Set before anything reads the configuration.
process.env.MAIL_TRANSPORT = "smtp";
process.env.SMTP_URL = `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
process.env.MAIL_FROM = "Lanes Test <lanes@example.test>";
process.env.RATE_LIMIT_DISABLED = "true";

const { testDb } = await import("../setup/file-db");
const { addMember, callerFor, makeProject, makeTask, makeWorkspace } = await import("../helpers/factories");
const { JOBS } = await import("@/server/jobs/definitions");
const { smtpUrlWithTimeouts, smtpBreaker, sendMail } = await import("@/server/mail/mailer");
const { CircuitOpenError } = await import("@/server/http/circuit-breaker");

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
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
    // A port with nothing listening, as when the relay is down; then an SMTP server comes up on it.
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", () => resolve()));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    let connections = 0;
    const counter = net.createServer((socket) => socket.destroy());
    counter.on("connection", () => connections++);
    const { env } = await import("@/server/env");
    const config = env();
    const original = config.SMTP_URL;
    // The transport is made on first use from SMTP_URL: point a fresh one at the dead port.
    const mailer = await import("@/server/mail/mailer");
    Object.assign(config, { SMTP_URL: `smtp://127.0.0.1:${port}` });
    mailer.resetSmtpTransport();
    const mail = { to: "down@example.test", subject: "Down", text: "x" };
    try {
      for (let i = 0; i < 5; i++) await expect(sendMail(mail)).rejects.toThrow(/ECONNREFUSED|connect/i);
      expect(smtpBreaker.state).toBe("open");
      await new Promise<void>((resolve) => counter.listen(port, "127.0.0.1", () => resolve()));
      const started = Date.now();
      await expect(sendMail(mail)).rejects.toBeInstanceOf(CircuitOpenError);
      expect(Date.now() - started).toBeLessThan(50);
      expect(connections).toBe(0);
      await new Promise<void>((resolve) => counter.close(() => resolve()));
    } finally {
      Object.assign(config, { SMTP_URL: original });
      mailer.resetSmtpTransport();
    }
    // After its pause the breaker lets one send through to the real server, which closes it.
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + 30_000 });
    try {
      expect(smtpBreaker.state).toBe("half-open");
      await sendMail({ ...mail, to: "back@example.test" });
      expect(smtpBreaker.state).toBe("closed");
      expect(mailTo("back@example.test")).toHaveLength(1);
    } finally {
      vi.useRealTimers();
    }
  });
});
