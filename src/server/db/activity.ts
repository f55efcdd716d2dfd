import type { DbTx } from "./client";
import type { Prisma } from "./generated/client";
import { userSummarySelect } from "./users";
import { afterTimeKey, type TimeKey } from "./keyset";

export type ActivityInput = {
  workspaceId: string;
  actorId: string | null;
  action: string;
  entityType: string;
  entityId: string;
  taskId?: string | null;
  commentId?: string | null;
  before?: Prisma.InputJsonValue | null;
  after?: Prisma.InputJsonValue | null;
  requestId?: string | null;
  apiKeyId?: string | null;
};

function toRow(event: ActivityInput): Prisma.ActivityEventCreateManyInput {
  return {
    workspaceId: event.workspaceId,
    actorId: event.actorId,
    action: event.action,
    entityType: event.entityType,
    entityId: event.entityId,
    taskId: event.taskId ?? null,
    commentId: event.commentId ?? null,
    before: event.before ?? undefined,
    after: event.after ?? undefined,
    requestId: event.requestId ?? null,
    apiKeyId: event.apiKeyId ?? null,
  };
}

/** Writes audit events; call it inside the transaction that makes the change. */
export async function recordActivity(db: DbTx, ...events: ActivityInput[]): Promise<void> {
  if (events.length === 1) await db.activityEvent.create({ data: toRow(events[0]!), select: { id: true } });
  else if (events.length > 1) await db.activityEvent.createMany({ data: events.map(toRow) });
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
