import type { DbTx } from "./client";
import type { Prisma } from "./generated/client";
import { userSummarySelect } from "./users";
import { afterTimeKey, type TimeKey } from "./keyset";

export type ActivityInput = {
  workspaceId: string;
  actorId?: string | null;
  action: string;
  entityType: string;
  entityId: string;
  taskId?: string | null;
  commentId?: string | null;
  before?: Prisma.InputJsonValue | null;
  after?: Prisma.InputJsonValue | null;
  requestId?: string | null;
  apiKeyId?: string | null;
  /** Only for imported history (the seed); a live change is stamped by the database. */
  createdAt?: Date;
};

function toRow(event: ActivityInput, seq: bigint): Prisma.ActivityEventCreateManyInput {
  return {
    workspaceId: event.workspaceId,
    seq,
    actorId: event.actorId ?? null,
    action: event.action,
    entityType: event.entityType,
    entityId: event.entityId,
    taskId: event.taskId ?? null,
    commentId: event.commentId ?? null,
    before: event.before ?? undefined,
    after: event.after ?? undefined,
    requestId: event.requestId ?? null,
    apiKeyId: event.apiKeyId ?? null,
    createdAt: event.createdAt,
  };
}

/**
 * Takes the next `count` numbers of a workspace's event stream and returns the first. The counter
 * row stays locked until the calling transaction ends, so a workspace's events commit in number
 * order and a rolled-back change leaves no gap: a reader who has seen N has seen everything up to N.
 */
async function takeEventSeqs(db: DbTx, workspaceId: string, count: number): Promise<bigint> {
  const [row] = await db.$queryRaw<{ lastSeq: bigint }[]>`
    INSERT INTO "WorkspaceEventCounter" ("workspaceId", "lastSeq") VALUES (${workspaceId}, ${count})
    ON CONFLICT ("workspaceId") DO UPDATE SET "lastSeq" = "WorkspaceEventCounter"."lastSeq" + ${count}
    RETURNING "lastSeq"`;
  return row!.lastSeq - BigInt(count) + 1n;
}

export type RecordedEvent = { id: string; action: string; workspaceId: string };

/** Writes audit events; call it inside the transaction that makes the change (and as late in it as you can). */
export async function recordActivity(db: DbTx, ...events: ActivityInput[]): Promise<RecordedEvent[]> {
  // (Map.groupBy is not in Node 20.)
  const byWorkspace = new Map<string, ActivityInput[]>();
  for (const event of events)
    byWorkspace.set(event.workspaceId, [...(byWorkspace.get(event.workspaceId) ?? []), event]);
  const rows: Prisma.ActivityEventCreateManyInput[] = [];
  // Counter rows locked in one order (by id), so two multi-workspace writes cannot deadlock.
  for (const [workspaceId, group] of [...byWorkspace].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const first = await takeEventSeqs(db, workspaceId, group.length);
    group.forEach((event, i) => rows.push(toRow(event, first + BigInt(i))));
  }
  const select = { id: true, action: true, workspaceId: true } as const;
  if (rows.length === 1) return [await db.activityEvent.create({ data: rows[0]!, select })];
  return rows.length ? db.activityEvent.createManyAndReturn({ data: rows, select }) : [];
}

/** The number of a workspace's newest event (0: none yet). */
export async function latestEventSeq(db: DbTx, workspaceId: string): Promise<bigint> {
  const row = await db.workspaceEventCounter.findUnique({ where: { workspaceId }, select: { lastSeq: true } });
  return row?.lastSeq ?? 0n;
}

export const liveEventSelect = {
  seq: true,
  action: true,
  entityType: true,
  entityId: true,
  actorId: true,
  taskId: true,
  commentId: true,
  task: { select: { projectId: true, number: true, project: { select: { key: true } } } },
} satisfies Prisma.ActivityEventSelect;

export type LiveEventRow = Prisma.ActivityEventGetPayload<{ select: typeof liveEventSelect }>;

/** A workspace's events after `afterSeq`, oldest first. */
export function listEventsAfter(db: DbTx, workspaceId: string, afterSeq: bigint, take: number) {
  return db.activityEvent.findMany({
    where: { workspaceId, seq: { gt: afterSeq } },
    orderBy: { seq: "asc" },
    take,
    select: liveEventSelect,
  });
}

export const activitySelect = {
  id: true,
  action: true,
  entityType: true,
  entityId: true,
  taskId: true,
  before: true,
  after: true,
  createdAt: true,
  actor: { select: userSummarySelect },
  apiKey: { select: { id: true, name: true, prefix: true } },
  // Deleted tasks and comments are joined too: readers see that they were deleted.
  task: { select: { id: true, number: true, title: true, deletedAt: true, project: { select: { key: true } } } },
  comment: { select: { id: true, body: true, deletedAt: true } },
} satisfies Prisma.ActivityEventSelect;

export type ActivityRow = Prisma.ActivityEventGetPayload<{ select: typeof activitySelect }>;

export function listWorkspaceActivity(db: DbTx, workspaceId: string, after: TimeKey | undefined, take: number) {
  const base: Prisma.ActivityEventWhereInput = { workspaceId };
  return db.activityEvent.findMany({
    where: after ? { AND: [base, afterTimeKey(after, "desc")] } : base,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take,
    select: activitySelect,
  });
}

export function listTaskActivity(
  db: DbTx,
  workspaceId: string,
  taskId: string,
  after: TimeKey | undefined,
  take: number,
) {
  const base: Prisma.ActivityEventWhereInput = { workspaceId, taskId };
  return db.activityEvent.findMany({
    where: after ? { AND: [base, afterTimeKey(after, "asc")] } : base,
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    take,
    select: activitySelect,
  });
}

/** An audit event with what its published form needs (webhooks, the event bus). */
export const domainEventSelect = {
  id: true,
  seq: true,
  action: true,
  entityType: true,
  entityId: true,
  actorId: true,
  apiKeyId: true,
  taskId: true,
  commentId: true,
  before: true,
  after: true,
  createdAt: true,
  workspace: { select: { id: true, slug: true } },
  task: { select: { projectId: true, number: true, project: { select: { key: true } } } },
} satisfies Prisma.ActivityEventSelect;

export type DomainEventRow = Prisma.ActivityEventGetPayload<{ select: typeof domainEventSelect }>;

export function findDomainEvent(db: DbTx, eventId: string) {
  return db.activityEvent.findUnique({ where: { id: eventId }, select: domainEventSelect });
}
