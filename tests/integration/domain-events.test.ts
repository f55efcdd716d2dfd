/**
 * Domain events on the machine's RabbitMQ (AMQP_URL; CI sets it and fails if the broker is down).
 * Every audited change enqueues its publication in its own transaction; the job queue's workers
 * publish with confirms to the topic exchange; a broker that becomes unreachable while events flow
 * (here: the TCP path to it is cut and restored, so the shared broker is left alone) delays events
 * and loses none; a consumer deduplicating by messageId sees each event exactly once.
 */
import net from "node:net";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import amqp from "amqplib";
import { randomBytes } from "node:crypto";

const brokerUrl = process.env.AMQP_URL;
const EXCHANGE = `lanes.test.${randomBytes(4).toString("hex")}`;

/** A TCP relay in front of the broker that can be cut (every connection dropped) and restored. */
function relay(target: URL) {
  const sockets = new Set<net.Socket>();
  let server: net.Server | null = null;
  let port = 0;
  const start = () =>
    new Promise<void>((resolve) => {
      server = net.createServer((client) => {
        const upstream = net.connect(Number(target.port || 5672), target.hostname);
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on("close", () => sockets.delete(s));
          s.on("error", () => s.destroy());
        }
        client.pipe(upstream).pipe(client);
      });
      server.listen(port, "127.0.0.1", () => {
        port = (server!.address() as AddressInfo).port;
        resolve();
      });
    });
  const cut = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      if (server) server.close(() => resolve());
      else resolve();
    });
  return { start, cut, url: () => `amqp://${target.username}:${target.password}@127.0.0.1:${port}` };
}

const path = brokerUrl ? relay(new URL(brokerUrl)) : null;

if (brokerUrl) {
  // The app publishes through the relay; set before anything reads the configuration.
  await path!.start();
  process.env.AMQP_URL = path!.url();
  process.env.AMQP_EXCHANGE = EXCHANGE;
}

const { testDb } = await import("../setup/file-db");
const { makeProject, makeTask, makeWorkspace } = await import("../helpers/factories");
const { jobQueue } = await import("@/server/jobs/queue");
const { startWorkers } = await import("@/server/jobs/worker");
const { JOBS } = await import("@/server/jobs/definitions");
const { closeEventPublisher } = await import("@/server/services/domain-events");
const { domainEventSchema } = await import("@/shared/schemas/events");

type Message = { id: string; routingKey: string; body: unknown; headers: Record<string, unknown> };

describe.runIf(brokerUrl)("domain events on RabbitMQ", () => {
  let consumer: amqp.ChannelModel;
  const messages: Message[] = [];

  beforeAll(async () => {
    // A consumer straight to the broker (not through the relay), bound to every event type.
    consumer = await amqp.connect(brokerUrl!);
    const channel = await consumer.createChannel();
    await channel.assertExchange(EXCHANGE, "topic", { durable: true });
    const { queue } = await channel.assertQueue("", { exclusive: true });
    await channel.bindQueue(queue, EXCHANGE, "#");
    await channel.consume(queue, (msg) => {
      if (!msg) return;
      messages.push({
        id: String(msg.properties.messageId),
        routingKey: msg.fields.routingKey,
        body: JSON.parse(msg.content.toString("utf8")) as unknown,
        headers: msg.properties.headers ?? {},
      });
      channel.ack(msg);
    });
    await startWorkers(await jobQueue(), { "events.publish": JOBS["events.publish"] }, 0.5);
  });

  afterAll(async () => {
    await closeEventPublisher();
    const channel = await consumer.createChannel();
    await channel.deleteExchange(EXCHANGE);
    await consumer.close();
    await path!.cut();
  });

  const idsOf = (eventType: string) =>
    testDb()
      .activityEvent.findMany({ where: { action: eventType }, select: { id: true } })
      .then((rows) => rows.map((r) => r.id));

  it("publishes each change, confirmed, with its event id as messageId and its type as routing key", async () => {
    const ws = await makeWorkspace();
    const project = await makeProject(ws, "BUS");
    const task = await makeTask(ws, project.id, { title: "On the bus" });
    const [event] = await testDb().activityEvent.findMany({ where: { taskId: task.id }, select: { id: true } });
    await expect.poll(() => messages.some((m) => m.id === event!.id), { timeout: 15_000 }).toBe(true);
    const message = messages.find((m) => m.id === event!.id)!;
    expect(message.routingKey).toBe("task.created");
    const body = domainEventSchema.parse(message.body);
    expect(body.data).toMatchObject({ eventId: event!.id, task: { id: task.id, ref: `BUS-${task.number}` } });
    expect(message.headers).toMatchObject({ workspaceId: ws.id, seq: body.data.seq });
  });

  it("loses nothing when the broker becomes unreachable while events flow", async () => {
    const ws = await makeWorkspace();
    const project = await makeProject(ws, "OUT");
    const before = new Set(await idsOf("task.created"));
    const total = 30;
    for (let i = 0; i < total; i++) {
      if (i === 10) await path!.cut(); // the broker is gone for the middle third
      if (i === 20) await path!.start();
      await makeTask(ws, project.id, { title: `flow ${i}` });
      await new Promise((r) => setTimeout(r, 100));
    }
    const expected = (await idsOf("task.created")).filter((id) => !before.has(id));
    expect(expected).toHaveLength(total);
    const seen = () => new Set(messages.map((m) => m.id).filter((id) => expected.includes(id)));
    await expect.poll(() => seen().size, { timeout: 60_000, interval: 500 }).toBe(total);
    // Deduplicated by messageId, each event exactly once (a retry after a lost confirm may repeat one).
    const received = messages.filter((m) => expected.includes(m.id));
    expect(new Set(received.map((m) => m.id)).size).toBe(total);
  }, 90_000);
});
