/**
 * The job queue and the event bus, measured against raw baselines in the same run:
 *
 * 1. Jobs per second through one worker (pg-boss, a job that does nothing), against raw PostgreSQL:
 *    the same number of single-row round trips on one connection.
 * 2. Events per second to RabbitMQ (AMQP_URL): Lanes' publisher (confirm per event, as each
 *    `events.publish` job does), against raw amqplib publishing the same bodies with one confirm
 *    per message; and end to end through `events.publish` jobs and one worker.
 *
 *   DATABASE_URL=… AMQP_URL=amqp://guest:guest@127.0.0.1:5672 npm run bench:jobs -- --jobs 3000
 *
 * Writes bench/results/jobs.json. Uses its own queue (bench.noop, emptied) and a throwaway exchange.
 */
import "./quiet";
import { randomUUID } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import amqp from "amqplib";
import pg from "pg";
import { z } from "zod";
import { argument } from "./cli";
import { createJobQueue } from "@/server/jobs/queue";
import { startWorkers } from "@/server/jobs/worker";
import { defineJob } from "@/server/jobs/definitions";
import { EventPublisher } from "@/server/events/publisher";
import type { DomainEvent } from "@/shared/schemas/events";

const root = path.resolve(import.meta.dirname, "..");
const JOBS = Number(argument("--jobs") ?? 2000);
const EVENTS = Number(argument("--events") ?? 2000);

function perSecond(count: number, ms: number): number {
  return Math.round((count / ms) * 1000);
}

function sampleEvent(i: number): DomainEvent {
  return {
    type: "task.updated",
    timestamp: new Date().toISOString(),
    data: {
      eventId: randomUUID(),
      seq: String(i + 1),
      workspace: { id: "bench-workspace", slug: "bench" },
      actor: { id: "bench-user", apiKeyId: null },
      entity: { type: "task", id: `task-${i}` },
      task: { id: `task-${i}`, ref: `WEB-${i}`, projectId: "bench-project" },
      commentId: null,
      before: { status: "TODO" },
      after: { status: "IN_PROGRESS" },
    },
  };
}

async function jobsPerSecond(databaseUrl: string) {
  let done = 0;
  let finished: () => void = () => {};
  const allDone = new Promise<void>((resolve) => (finished = resolve));
  // One queue reused by every run (emptied first): deleting a pg-boss queue with a dead-letter queue trips its FK.
  const queue = "bench.noop";
  const jobs = {
    [queue]: defineJob({
      payload: z.object({ i: z.number() }),
      retry: { limit: 1, delaySeconds: 1 },
      expireInSeconds: 60,
      run() {
        if (++done === JOBS) finished();
        return Promise.resolve();
      },
    }),
  };
  const boss = await createJobQueue({ connectionString: databaseUrl, jobs });
  await boss.purgeQueue(queue);
  await boss.insert(Array.from({ length: JOBS }, (_, i) => ({ name: queue, data: { i } })));
  const started = performance.now();
  await startWorkers(boss, jobs, 0.5);
  await allDone;
  const queueMs = performance.now() - started;
  await boss.purgeQueue(queue);
  await boss.stop({ graceful: false, wait: true });

  // Raw: one connection, one UPDATE round trip per "job" (fetching and completing a job is two).
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  await client.query("CREATE TEMP TABLE bench_job (id int PRIMARY KEY, state text)");
  await client.query("INSERT INTO bench_job SELECT g, 'created' FROM generate_series(1, $1) g", [JOBS]);
  const rawStarted = performance.now();
  for (let i = 1; i <= JOBS; i++) await client.query("UPDATE bench_job SET state = 'completed' WHERE id = $1", [i]);
  const rawMs = performance.now() - rawStarted;
  await client.end();
  return { jobs: JOBS, oneWorkerPerSecond: perSecond(JOBS, queueMs), rawRoundTripsPerSecond: perSecond(JOBS, rawMs) };
}

async function eventsPerSecond(amqpUrl: string) {
  const exchange = `lanes.bench.${Date.now()}`;
  const events = Array.from({ length: EVENTS }, (_, i) => sampleEvent(i));

  const publisher = new EventPublisher(amqpUrl, exchange);
  const started = performance.now();
  for (const event of events) await publisher.publish(event);
  const lanesMs = performance.now() - started;
  await publisher.close();

  const connection = await amqp.connect(amqpUrl);
  const channel = await connection.createConfirmChannel();
  await channel.assertExchange(exchange, "topic", { durable: true });
  const rawStarted = performance.now();
  for (const event of events) {
    channel.publish(exchange, event.type, Buffer.from(JSON.stringify(event)), {
      persistent: true,
      messageId: event.data.eventId,
    });
    await channel.waitForConfirms();
  }
  const rawMs = performance.now() - rawStarted;
  await channel.deleteExchange(exchange);
  await connection.close();
  return {
    events: EVENTS,
    lanesPublisherPerSecond: perSecond(EVENTS, lanesMs),
    rawConfirmEachPerSecond: perSecond(EVENTS, rawMs),
  };
}

async function main(): Promise<void> {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error("DATABASE_URL is not set");
  const results: Record<string, unknown> = {};
  results.jobs = await jobsPerSecond(databaseUrl);
  console.log("jobs", results.jobs);
  if (process.env.AMQP_URL) {
    results.events = await eventsPerSecond(process.env.AMQP_URL);
    console.log("events", results.events);
  } else console.log("events: skipped (AMQP_URL is not set)");
  const out = path.join(root, "bench", "results");
  mkdirSync(out, { recursive: true });
  writeFileSync(path.join(out, "jobs.json"), JSON.stringify(results, null, 2) + "\n");
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
