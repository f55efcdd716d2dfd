/**
 * Domain events on the machine's RabbitMQ (AMQP_URL; CI sets it and fails if the broker is down).
 * Every audited change enqueues its publication in its own transaction; the job queue's workers
 * publish with confirms to the topic exchange; a broker that becomes unreachable while events flow
 * (the TCP path to it cut and restored) or is restarted (`rabbitmqctl stop_app` / `start_app` on the
 * machine's broker) delays events and loses none; a consumer deduplicating by messageId sees each
 * event exactly once.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
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

/**
 * A consumer as another service would run one: a durable queue of its own bound to every event type,
 * acknowledging each message, and reconnecting (with the queue still there) after the broker restarts.
 */
function durableConsumer(url: string, queueName: string) {
  const messages: Message[] = [];
  const stats = { connections: 0 };
  let connection: amqp.ChannelModel | null = null;
  let closing = false;
  const subscribe = async (): Promise<void> => {
    const model = await amqp.connect(url);
    model.on("error", () => {});
    model.on("close", () => {
      connection = null;
      if (!closing) void reconnect();
    });
    const channel = await model.createChannel();
    await channel.assertExchange(EXCHANGE, "topic", { durable: true });
    await channel.assertQueue(queueName, { durable: true });
    await channel.bindQueue(queueName, EXCHANGE, "#");
    await channel.consume(queueName, (msg) => {
      if (!msg) return;
      messages.push({
        id: String(msg.properties.messageId),
        routingKey: msg.fields.routingKey,
        body: JSON.parse(msg.content.toString("utf8")) as unknown,
        headers: msg.properties.headers ?? {},
      });
      channel.ack(msg);
    });
    connection = model;
    stats.connections++;
  };
  const reconnect = async (): Promise<void> => {
    while (!closing && !connection) {
      await new Promise((r) => setTimeout(r, 250));
      await subscribe().catch(() => {});
    }
  };
  return {
    messages,
    stats,
    subscribe,
    async close() {
      closing = true;
      const model = connection ?? (await amqp.connect(url));
      const channel = await model.createChannel();
      await channel.deleteQueue(queueName);
      await channel.deleteExchange(EXCHANGE);
      await model.close();
    },
  };
}

const rabbitmqctl = (command: "stop_app" | "start_app" | "await_startup") =>
  promisify(execFile)("rabbitmqctl", [command], { timeout: 60_000 });

describe.runIf(brokerUrl)("domain events on RabbitMQ", () => {
  const consumer = durableConsumer(brokerUrl!, `${EXCHANGE}.consumer`);
  const messages = consumer.messages;

  beforeAll(async () => {
    // Straight to the broker (not through the relay).
    await consumer.subscribe();
    await startWorkers(await jobQueue(), { "events.publish": JOBS["events.publish"] }, 0.5);
  });

  afterAll(async () => {
    await closeEventPublisher();
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

  it("loses nothing when RabbitMQ itself is restarted while events flow", async () => {
    const ws = await makeWorkspace();
    const project = await makeProject(ws, "RST");
    const before = new Set(await idsOf("task.created"));
    const connectionsBefore = consumer.stats.connections;
    const total = 30;
    try {
      for (let i = 0; i < total; i++) {
        if (i === 10) await rabbitmqctl("stop_app"); // every connection to it closed, the port shut
        if (i === 20) {
          await rabbitmqctl("start_app");
          await rabbitmqctl("await_startup");
        }
        await makeTask(ws, project.id, { title: `restart ${i}` });
        await new Promise((r) => setTimeout(r, 100));
      }
    } finally {
      // Whatever happened above, the machine's broker is left running.
      await rabbitmqctl("start_app");
    }
    const expected = (await idsOf("task.created")).filter((id) => !before.has(id));
    expect(expected).toHaveLength(total);
    const seen = () => new Set(messages.map((m) => m.id).filter((id) => expected.includes(id)));
    await expect.poll(() => seen().size, { timeout: 90_000, interval: 500 }).toBe(total);
    const received = messages.filter((m) => expected.includes(m.id));
    expect(new Set(received.map((m) => m.id)).size).toBe(total);
    // The restart really cut the consumer off: it had to connect again.
    expect(consumer.stats.connections).toBeGreaterThan(connectionsBefore);
  }, 150_000);
});
