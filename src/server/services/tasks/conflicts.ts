/**
 * Field-level optimistic concurrency (docs/decisions/0013-field-level-conflicts.md).
 * A task remembers the version at which each editable field last changed. An edit
 * made from an older version conflicts only if a field it changes was changed
 * since that version; edits of other fields (and board moves) merge.
 */
import { z } from "zod";
import type { TaskPatch } from "@/shared/schemas/task";

export const TASK_FIELDS = ["title", "description", "status", "priority", "assigneeId", "dueDate", "labels"] as const;
export type TaskField = (typeof TASK_FIELDS)[number];
export type FieldVersions = Partial<Record<TaskField, number>>;

/** The patch key each field is edited through (what the client sent). */
export const PATCH_KEY = {
  title: "title",
  description: "description",
  status: "status",
  priority: "priority",
  assigneeId: "assigneeId",
  dueDate: "dueDate",
  labels: "labelIds",
} as const satisfies Record<TaskField, keyof TaskPatch>;

const fieldVersionsSchema = z.partialRecord(z.enum(TASK_FIELDS), z.number().int().min(1));

/** The stored map; if it cannot be read, every field counts as changed at `version` (conflicts as strictly as before). */
export function parseFieldVersions(json: unknown, version: number): FieldVersions {
  const parsed = fieldVersionsSchema.safeParse(json);
  return parsed.success ? parsed.data : Object.fromEntries(TASK_FIELDS.map((f) => [f, version]));
}

/**
 * Which of `fields` (the ones an edit would change) were changed after version `read`.
 * A version newer than the task's was never read from it: everything conflicts.
 */
export function conflictingFields(
  fields: readonly TaskField[],
  read: number,
  current: { version: number; fieldVersions: FieldVersions },
): TaskField[] {
  if (read === current.version) return [];
  if (read > current.version) return [...fields];
  return fields.filter((f) => (current.fieldVersions[f] ?? 1) > read);
}

/** The map after `fields` changed, producing `version`. */
export function withChanged(
  fieldVersions: FieldVersions,
  fields: readonly TaskField[],
  version: number,
): FieldVersions {
  return { ...fieldVersions, ...Object.fromEntries(fields.map((f) => [f, version])) };
}
