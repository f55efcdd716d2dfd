/**
 * Domain events for other services: each audit event, in its published form (src/shared/schemas/
 * events.ts), to webhooks and — when AMQP_URL is set — to a RabbitMQ topic exchange. Publication goes
 * through the job queue, enqueued in the change's transaction: the queue is the outbox (decision 0030),
 * so a broker outage delays events and loses none (docs/events.md).
 */
import type { DbTx } from "@/server/db/client";
import type { Prisma } from "@/server/db/generated/client";
import { findDomainEvent, type DomainEventRow, type RecordedEvent } from "@/server/db/activity";
import { enqueueAll } from "@/server/jobs/queue";
import { EventPublisher } from "@/server/events/publisher";
import { env } from "@/server/env";
import { formatTaskRef } from "@/shared/tracker";
import { domainEventSchema, type DomainEvent } from "@/shared/schemas/events";

function asRecord(value: Prisma.JsonValue | null): Record<string, unknown> | null {
  return value && typeof value === "object" && !Array.isArray(value) ? value : null;
}

/** The published form of an audit event, checked against the schema consumers validate with. */
export function toDomainEvent(event: DomainEventRow): DomainEvent {
  return domainEventSchema.parse({
    type: event.action,
    timestamp: event.createdAt.toISOString(),
    data: {
      eventId: event.id,
      seq: String(event.seq),
      workspace: event.workspace,
      actor: event.actorId ? { id: event.actorId, apiKeyId: event.apiKeyId } : null,
      entity: { type: event.entityType, id: event.entityId },
      task:
        event.taskId && event.task
          ? {
              id: event.taskId,
              ref: formatTaskRef(event.task.project.key, event.task.number),
              projectId: event.task.projectId,
            }
          : null,
      commentId: event.commentId,
      before: asRecord(event.before),
      after: asRecord(event.after),
    },
  });
}

/** In the change's transaction: one `events.publish` job per event, when an event bus is configured. */
export async function scheduleEventPublication(tx: DbTx, recorded: RecordedEvent[]): Promise<void> {
  if (!env().AMQP_URL || recorded.length === 0) return;
  await enqueueAll(
    tx,
    "events.publish",
    recorded.map(({ id }) => ({ payload: { eventId: id }, key: id })),
  );
}

const globalForEvents = globalThis as unknown as { lanesPublisher?: EventPublisher };

function publisher(): EventPublisher {
  const config = env();
  if (!config.AMQP_URL) throw new Error("AMQP_URL is not set");
  globalForEvents.lanesPublisher ??= new EventPublisher(config.AMQP_URL, config.AMQP_EXCHANGE);
  return globalForEvents.lanesPublisher;
}

/** Closes this process's broker connection (tests; shutdown). */
export async function closeEventPublisher(): Promise<void> {
  const open = globalForEvents.lanesPublisher;
  globalForEvents.lanesPublisher = undefined;
  await open?.close();
}

/**
 * The `events.publish` job: publishes the event and returns once the broker confirmed it; throws
 * (the queue retries) when the broker is down. At least once: consumers deduplicate by messageId.
 */
export async function publishDomainEvent(db: DbTx, eventId: string): Promise<void> {
  const event = await findDomainEvent(db, eventId);
  if (!event) return; // the workspace was deleted since
  await publisher().publish(toDomainEvent(event));
}
