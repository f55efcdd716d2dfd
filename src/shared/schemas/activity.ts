import { z } from "zod";
import { idSchema, inWorkspace, pageInput, pageOf, userSummarySchema } from "./common";

export const activitySchema = z.object({
  id: z.string(),
  action: z.string(),
  entityType: z.string(),
  entityId: z.string(),
  task: z.object({ id: z.string(), ref: z.string(), title: z.string() }).nullable(),
  actor: userSummarySchema.nullable(),
  before: z.record(z.string(), z.unknown()).nullable(),
  after: z.record(z.string(), z.unknown()).nullable(),
  createdAt: z.date(),
});
export type ActivityDto = z.infer<typeof activitySchema>;

export const activityPageSchema = pageOf(activitySchema);
export const workspaceFeedInput = inWorkspace({ ...pageInput });
export const taskActivityInput = inWorkspace({ taskId: idSchema, ...pageInput });
