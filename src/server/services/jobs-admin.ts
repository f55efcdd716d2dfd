/**
 * The operators' view of the job queue (docs/decisions/0034-operators-and-the-jobs-page.md): per kind,
 * how many jobs wait, run, failed or died; the failed, retrying and dead ones with their last error;
 * and retrying one by hand — a failed job is retried in place, a dead one is sent again to its kind's
 * queue (same payload) and leaves the dead-letter queue.
 */
import { AppError } from "@/server/errors";
import type { Db } from "@/server/db/client";
import { countJobsByQueueAndState, findJob, listJobs, type JobRow } from "@/server/db/jobs";
import { deadLetterQueue, jobQueue } from "@/server/jobs/queue";
import { JOBS } from "@/server/jobs/definitions";
import { JOB_STATES, type JobDto } from "@/shared/schemas/jobs";

const DEAD_SUFFIX = deadLetterQueue("");
const SHOWN = 100;

type JobState = (typeof JOB_STATES)[number];

function kindOf(queue: string): string {
  return queue.endsWith(DEAD_SUFFIX) ? queue.slice(0, -DEAD_SUFFIX.length) : queue;
}

function errorOf(output: unknown): string | null {
  if (!output || typeof output !== "object") return null;
  const message = (output as { message?: unknown }).message;
  return typeof message === "string" ? message.slice(0, 500) : null;
}

function toDto(row: JobRow): JobDto {
  const dead = row.name.endsWith(DEAD_SUFFIX);
  return {
    id: row.id,
    queue: row.name,
    kind: kindOf(row.name),
    state: dead ? "dead" : (row.state as JobState),
    attempts: row.retry_count + (row.started_on ? 1 : 0),
    retryLimit: row.retry_limit,
    data: row.data && typeof row.data === "object" ? (row.data as Record<string, unknown>) : null,
    error: errorOf(row.output),
    createdAt: row.created_on,
    runAfter: row.start_after,
    startedAt: row.started_on,
    finishedAt: row.completed_on,
  };
}

export async function jobsOverview(db: Db, input: { show: "problems" | "all" }) {
  const counts = await countJobsByQueueAndState(db);
  const queues = new Map<string, { name: string; counts: Record<JobState, number>; dead: number }>();
  const summary = (name: string) => {
    const existing = queues.get(name);
    if (existing) return existing;
    const fresh = {
      name,
      counts: Object.fromEntries(JOB_STATES.map((s) => [s, 0])) as Record<JobState, number>,
      dead: 0,
    };
    queues.set(name, fresh);
    return fresh;
  };
  for (const kind of Object.keys(JOBS)) summary(kind);
  for (const row of counts) {
    const target = summary(kindOf(row.name));
    if (row.name.endsWith(DEAD_SUFFIX)) target.dead += Number(row.count);
    else if ((JOB_STATES as readonly string[]).includes(row.state))
      target.counts[row.state as JobState] += Number(row.count);
  }
  const jobs = (await listJobs(db, input.show === "all", SHOWN)).map(toDto);
  return { queues: [...queues.values()], jobs };
}

export async function retryJob(db: Db, input: { queue: string; id: string }): Promise<{ retried: true }> {
  const job = await findJob(db, input.queue, input.id);
  if (!job) throw AppError.notFound("Job");
  const boss = await jobQueue();
  if (job.name.endsWith(DEAD_SUFFIX)) {
    const kind = kindOf(job.name);
    if (!(kind in JOBS)) throw AppError.conflict(`No job kind ${kind} to send it to`);
    await boss.send(kind, job.data ?? {});
    await boss.deleteJob(job.name, job.id);
  } else if (job.state === "failed") {
    await boss.retry(job.name, job.id);
  } else {
    throw AppError.conflict(`Only failed or dead jobs can be retried; this one is ${job.state}`);
  }
  return { retried: true };
}
