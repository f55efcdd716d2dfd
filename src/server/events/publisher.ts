/**
 * Publishing domain events to RabbitMQ (AMQP_URL): a topic exchange, persistent messages, publisher
 * confirms. One connection per process, made on first use; when it fails, the next attempt waits a
 * doubling delay (0.5 s up to 30 s) and the publish throws meanwhile, so the job queue retries the
 * event later instead of hammering a broker that is down. Nothing is lost: an event leaves the queue
 * only once the broker confirmed it (docs/events.md).
 */
import amqp from "amqplib";
import { logger } from "@/server/observability/logger";
import type { DomainEvent } from "@/shared/schemas/events";

const RECONNECT_MIN_MS = 500;
const RECONNECT_MAX_MS = 30_000;

export class BrokerUnavailable extends Error {}

type Connected = { model: amqp.ChannelModel; channel: amqp.ConfirmChannel };

export class EventPublisher {
  private connected: Promise<Connected> | null = null;
  private retryAt = 0;
  private delay = RECONNECT_MIN_MS;
  private readonly log = logger.child({ component: "event-publisher" });

  constructor(
    private readonly url: string,
    readonly exchange: string,
  ) {}

  private drop(reason: unknown): void {
    if (!this.connected) return;
    this.connected = null;
    this.retryAt = Date.now() + this.delay;
    this.log.warn({ err: reason, retryInMs: this.delay }, "lost the RabbitMQ connection");
    this.delay = Math.min(this.delay * 2, RECONNECT_MAX_MS);
  }

  private connect(): Promise<Connected> {
    if (this.connected) return this.connected;
    if (Date.now() < this.retryAt)
      return Promise.reject(new BrokerUnavailable(`RabbitMQ unreachable; next try in ${this.retryAt - Date.now()} ms`));
    const attempt = (async () => {
      const model = await amqp.connect(this.url, { timeout: 5_000 });
      model.on("error", (error: unknown) => this.drop(error));
      model.on("close", () => this.drop(new Error("connection closed")));
      const channel = await model.createConfirmChannel();
      channel.on("error", (error: unknown) => this.drop(error));
      channel.on("close", () => this.drop(new Error("channel closed")));
      await channel.assertExchange(this.exchange, "topic", { durable: true });
      this.delay = RECONNECT_MIN_MS;
      return { model, channel };
    })();
    this.connected = attempt;
    attempt.catch((error: unknown) => this.drop(error));
    return attempt;
  }

  /** Resolves once the broker has confirmed the message (routing key: the event type). */
  async publish(event: DomainEvent): Promise<void> {
    const { channel } = await this.connect();
    const body = Buffer.from(JSON.stringify(event));
    await new Promise<void>((resolve, reject) => {
      channel.publish(
        this.exchange,
        event.type,
        body,
        {
          persistent: true,
          contentType: "application/json",
          messageId: event.data.eventId,
          type: event.type,
          timestamp: Math.floor(Date.parse(event.timestamp) / 1000),
          appId: "lanes",
          headers: { workspaceId: event.data.workspace.id, seq: event.data.seq },
        },
        // The broker's nack (or a dropped channel) arrives as the error argument.
        (error: unknown) =>
          error ? reject(error instanceof Error ? error : new Error("the broker refused the message")) : resolve(),
      );
    });
  }

  async close(): Promise<void> {
    const connected = this.connected;
    this.connected = null;
    const open = await connected?.catch(() => null);
    await open?.model.close().catch(() => {});
  }
}
