/**
 * Presence: who has a task open right now (decision 0036). A browser showing a task says so every
 * PRESENCE_HEARTBEAT_MS and when it leaves; someone not heard from for PRESENCE_TTL_MS is gone (a
 * closed laptop says nothing). Arrivals and departures are announced to every instance's live hub,
 * which tells that workspace's subscribers to refetch the task's viewers; the list itself is read
 * like any other query, members only.
 */
import { AppError } from "@/server/errors";
import { findTaskState } from "@/server/db/tasks";
import { announcePresence, listViewers, removeViewer, touchViewer } from "@/server/db/presence";
import { PRESENCE_TTL_MS, type TaskViewers } from "@/shared/schemas/presence";
import type { WorkspaceContext } from "./context";

const freshSince = (now: Date) => new Date(now.getTime() - PRESENCE_TTL_MS);

async function requireTask(ctx: WorkspaceContext, taskId: string): Promise<void> {
  if (!(await findTaskState(ctx.db, ctx.workspace.id, taskId))) throw AppError.notFound("Task");
}

async function othersViewing(ctx: WorkspaceContext, taskId: string): Promise<TaskViewers> {
  const rows = await listViewers(ctx.db, ctx.workspace.id, taskId, freshSince(new Date()));
  return { viewers: rows.map((r) => r.user).filter((user) => user.id !== ctx.userId) };
}

type TabInput = { taskId: string; tabId: string };

/** The caller has the task open in this tab (a heartbeat); answers who else has. */
export async function viewTask(ctx: WorkspaceContext, input: TabInput): Promise<TaskViewers> {
  await requireTask(ctx, input.taskId);
  const now = new Date();
  await ctx.db.$transaction(async (tx) => {
    const row = { taskId: input.taskId, userId: ctx.userId, tabId: input.tabId, workspaceId: ctx.workspace.id };
    if (await touchViewer(tx, row, now, freshSince(now))) await announcePresence(tx, ctx.workspace.id, input.taskId);
  });
  return othersViewing(ctx, input.taskId);
}

/** The caller closed the task in this tab (or hid the tab). */
export async function leaveTask(ctx: WorkspaceContext, input: TabInput): Promise<void> {
  await requireTask(ctx, input.taskId);
  await ctx.db.$transaction(async (tx) => {
    const row = { taskId: input.taskId, userId: ctx.userId, tabId: input.tabId };
    if (await removeViewer(tx, row, freshSince(new Date()))) await announcePresence(tx, ctx.workspace.id, input.taskId);
  });
}

/** Who else has the task open. */
export async function taskViewers(ctx: WorkspaceContext, input: { taskId: string }): Promise<TaskViewers> {
  await requireTask(ctx, input.taskId);
  return othersViewing(ctx, input.taskId);
}
