/** The job queue as its operators see it (/admin/jobs). */
import { z } from "zod";

export const JOB_STATES = ["created", "retry", "active", "completed", "cancelled", "failed"] as const;

export const queueSummarySchema = z.object({
  /** The job kind, e.g. `webhook.deliver`. */
  name: z.string(),
  counts: z.record(z.enum(JOB_STATES), z.number().int()),
  /** Jobs in its dead-letter queue (`<name>.dead`): retries spent, kept to be retried by hand. */
  dead: z.number().int(),
});

export const jobSchema = z.object({
  id: z.string(),
  /** The queue it sits in (a dead job's is `<kind>.dead`). */
  queue: z.string(),
  kind: z.string(),
  /** created (waiting), retry (waiting to be tried again), active, failed, … or dead. */
  state: z.enum([...JOB_STATES, "dead"]),
  attempts: z.number().int(),
  retryLimit: z.number().int(),
  /** What the job was given (ids only: no job carries secrets). */
  data: z.record(z.string(), z.unknown()).nullable(),
  /** The last error's message. */
  error: z.string().nullable(),
  createdAt: z.date(),
  /** When it runs (next) if it waits. */
  runAfter: z.date(),
  startedAt: z.date().nullable(),
  finishedAt: z.date().nullable(),
});
export type JobDto = z.infer<typeof jobSchema>;

export const jobsOverviewInput = z
  .strictObject({
    /** problems: failed, retrying and dead jobs; all: also those waiting or running. */
    show: z.enum(["problems", "all"]).default("problems"),
  })
  .default({ show: "problems" });
export const jobsOverviewSchema = z.object({ queues: z.array(queueSummarySchema), jobs: z.array(jobSchema) });

export const retryJobInput = z.strictObject({
  queue: z.string().min(1).max(120),
  id: z.uuid("Not a job id"),
});
