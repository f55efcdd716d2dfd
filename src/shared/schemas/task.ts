import { z } from "zod";
import { TASK_PRIORITIES, TASK_STATUSES, TASK_REF_PATTERN } from "../tracker";
import { idSchema, inWorkspace, pageInput, pageOf, userSummarySchema } from "./common";

export const taskStatusSchema = z.enum(TASK_STATUSES);
export const taskPrioritySchema = z.enum(TASK_PRIORITIES);
/** Due dates are calendar dates, not instants: "2026-12-31". */
export const dueDateSchema = z.iso
  .date({ message: "Use a date like 2026-12-31", abort: true })
  .refine((d) => d >= "1900-01-01" && d <= "9999-12-31", "Use a year between 1900 and 9999");
export const taskTitleSchema = z.string().trim().min(1, "Required").max(200, "Use at most 200 characters");
export const taskDescriptionSchema = z.string().max(50_000, "Use at most 50,000 characters");
export const taskRefSchema = z
  .string()
  .trim()
  .toUpperCase()
  .regex(TASK_REF_PATTERN, "A task reference looks like WEB-42");

export const labelSummarySchema = z.object({ id: z.string(), name: z.string(), color: z.string() });

/** A task as lists and the board show it. */
export const taskSchema = z.object({
  id: z.string(),
  ref: z.string(),
  number: z.number().int(),
  projectId: z.string(),
  projectKey: z.string(),
  title: z.string(),
  status: taskStatusSchema,
  priority: taskPrioritySchema,
  assignee: userSummarySchema.nullable(),
  labels: z.array(labelSummarySchema),
  dueDate: z.string().nullable(),
  position: z.string(),
  version: z.number().int(),
  createdAt: z.date(),
  updatedAt: z.date(),
});
export type TaskDto = z.infer<typeof taskSchema>;

/** A task with everything the task page shows. */
export const taskDetailSchema = taskSchema.extend({
  description: z.string(),
  creator: userSummarySchema,
  completedAt: z.date().nullable(),
  projectName: z.string(),
});
export type TaskDetailDto = z.infer<typeof taskDetailSchema>;

const labelIdsSchema = z
  .array(idSchema)
  .max(20, "At most 20 labels")
  .refine((ids) => new Set(ids).size === ids.length, "Duplicate labels");

export const createTaskInput = inWorkspace({
  projectId: idSchema,
  title: taskTitleSchema,
  description: taskDescriptionSchema.default(""),
  status: taskStatusSchema.default("TODO"),
  priority: taskPrioritySchema.default("NONE"),
  assigneeId: idSchema.nullish(),
  labelIds: labelIdsSchema.default([]),
  dueDate: dueDateSchema.nullish(),
  /** Retrying a create with the same key returns the first task instead of making another. */
  idempotencyKey: z
    .string()
    .min(8, "Use at least 8 characters")
    .max(128)
    .regex(/^[A-Za-z0-9_.:-]+$/, "Letters, digits and _.:- only")
    .optional(),
});
export type CreateTaskInput = z.infer<typeof createTaskInput>;

export const taskPatchSchema = z
  .strictObject({
    title: taskTitleSchema.optional(),
    description: taskDescriptionSchema.optional(),
    status: taskStatusSchema.optional(),
    priority: taskPrioritySchema.optional(),
    assigneeId: idSchema.nullable().optional(),
    labelIds: labelIdsSchema.optional(),
    dueDate: dueDateSchema.nullable().optional(),
  })
  .refine((patch) => Object.values(patch).some((v) => v !== undefined), "Change at least one field");
export type TaskPatch = z.infer<typeof taskPatchSchema>;

export const updateTaskInput = inWorkspace({
  taskId: idSchema,
  /** The version the client read; CONFLICT (with the current task) only if a field this patch changes was changed since. */
  version: z.number().int().min(1).max(2_147_483_647),
  patch: taskPatchSchema,
});

export const moveTaskInput = inWorkspace({
  taskId: idSchema,
  status: taskStatusSchema,
  /** The task that should end up directly above; null or absent = top of the column. */
  afterTaskId: idSchema.nullish(),
});

export const taskIdInput = inWorkspace({ taskId: idSchema });
export const taskByRefInput = inWorkspace({ ref: taskRefSchema });

/**
 * `relevance` needs `filter.q`: tasks with every word in the title first, then the other
 * matches, each group most recently updated first (docs/decisions/0024-complete-search.md).
 */
export const TASK_SORTS = ["created", "updated", "priority", "due", "position", "relevance"] as const;
export const taskSortSchema = z.enum(TASK_SORTS);
export type TaskSort = z.infer<typeof taskSortSchema>;

export const taskFilterSchema = z.strictObject({
  projectId: idSchema.optional(),
  status: z.array(taskStatusSchema).max(6).optional(),
  priority: z.array(taskPrioritySchema).max(5).optional(),
  /** A member's user id, or null for unassigned tasks. */
  assigneeId: idSchema.nullable().optional(),
  labelId: idSchema.optional(),
  dueBefore: dueDateSchema.optional(),
  dueAfter: dueDateSchema.optional(),
  hasDueDate: z.boolean().optional(),
  /**
   * Text search: tasks whose title, description and comments contain every word (prefixes match,
   * word forms too), as in search.tasks but complete: every match is reachable by paging.
   * Blank means no text filter; text without letters or digits matches nothing.
   */
  q: z.string().trim().max(200, "Search for at most 200 characters").optional(),
});
export type TaskFilter = z.infer<typeof taskFilterSchema>;

export const listTasksInput = inWorkspace({
  filter: taskFilterSchema.default({}),
  sort: taskSortSchema.default("created"),
  /** Sort order; each sort has a natural default (newest first, urgent first, soonest due). */
  order: z.enum(["asc", "desc"]).optional(),
  ...pageInput,
});
export type ListTasksInput = z.infer<typeof listTasksInput>;

export const taskPageSchema = pageOf(taskSchema);

export const statusCountsInput = inWorkspace({ projectId: idSchema });
export const statusCountsSchema = z.record(taskStatusSchema, z.number().int());
