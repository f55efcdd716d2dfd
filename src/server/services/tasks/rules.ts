/** Checks and side effects shared by creating, editing and moving tasks. */
import { AppError } from "@/server/errors";
import type { DbTx } from "@/server/db/client";
import { findLabelsByIds } from "@/server/db/labels";
import { findMembersByUserIds } from "@/server/db/memberships";
import { notify } from "../notifications";
import { CLOSED_STATUSES, type TaskStatus } from "@/shared/tracker";
import type { WorkspaceContext } from "../context";

export async function assertAssignable(
  tx: DbTx,
  workspaceId: string,
  assigneeId: string | null | undefined,
): Promise<void> {
  if (!assigneeId) return;
  const found = await findMembersByUserIds(tx, workspaceId, [assigneeId]);
  if (found.length === 0)
    throw AppError.badRequest("Invalid assignee", { assigneeId: ["The assignee must be a member of this workspace"] });
}

/** The names of `labelIds`, sorted; BAD_REQUEST unless every one is this workspace's. */
export async function labelNames(tx: DbTx, workspaceId: string, labelIds: string[]): Promise<string[]> {
  if (labelIds.length === 0) return [];
  const labels = await findLabelsByIds(tx, workspaceId, labelIds);
  if (labels.length !== labelIds.length)
    throw AppError.badRequest("Invalid labels", { labelIds: ["Every label must belong to this workspace"] });
  return labels.map((l) => l.name).sort();
}

/** Closed tasks keep their first completion time; reopened ones lose it. */
export function completedAtFor(status: TaskStatus, previous: Date | null, now: Date): Date | null {
  return CLOSED_STATUSES.includes(status) ? (previous ?? now) : null;
}

export async function notifyAssignee(
  tx: DbTx,
  ctx: WorkspaceContext,
  taskId: string,
  assigneeId: string | null | undefined,
): Promise<void> {
  if (assigneeId && assigneeId !== ctx.userId) {
    await notify(tx, [
      { userId: assigneeId, workspaceId: ctx.workspace.id, type: "ASSIGNED", actorId: ctx.userId, taskId },
    ]);
  }
}
