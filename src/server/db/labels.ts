import type { DbTx } from "./client";
import type { Prisma } from "./generated/client";

/**
 * `taskCount` counts live tasks only, matching what a label filter lists; kept by triggers
 * on "TaskLabel" and "Task" (docs/decisions/0025-maintained-counts.md), read, never computed.
 */
export const labelSelect = {
  id: true,
  name: true,
  color: true,
  taskCount: true,
} satisfies Prisma.LabelSelect;

export function listLabels(db: DbTx, workspaceId: string) {
  return db.label.findMany({ where: { workspaceId }, orderBy: { name: "asc" }, select: labelSelect });
}

export function findLabel(db: DbTx, workspaceId: string, labelId: string) {
  return db.label.findFirst({ where: { id: labelId, workspaceId }, select: labelSelect });
}

/** Of these ids, the ones that are labels of this workspace. */
export function findLabelsByIds(db: DbTx, workspaceId: string, ids: string[]) {
  return db.label.findMany({ where: { workspaceId, id: { in: ids } }, select: { id: true, name: true } });
}

export function createLabel(db: DbTx, data: { workspaceId: string; name: string; color: string }) {
  return db.label.create({ data, select: labelSelect });
}

export function updateLabel(db: DbTx, workspaceId: string, labelId: string, data: { name?: string; color?: string }) {
  return db.label.update({ where: { id: labelId, workspaceId }, data, select: labelSelect });
}

export function deleteLabel(db: DbTx, workspaceId: string, labelId: string) {
  return db.label.delete({ where: { id: labelId, workspaceId }, select: { id: true } });
}
