/** Presence: who else has a task open. */
import { z } from "zod";
import { idSchema, inWorkspace, userSummarySchema } from "./common";

export const presenceInput = inWorkspace({ taskId: idSchema });

export const taskViewersSchema = z.object({
  /** Everyone else with the task open now (not the caller). */
  viewers: z.array(userSummarySchema),
});
export type TaskViewers = z.infer<typeof taskViewersSchema>;

/** How often an open task page says it is still open. */
export const PRESENCE_HEARTBEAT_MS = 20_000;
/** Not heard from for this long: no longer shown as viewing (two missed heartbeats and a margin). */
export const PRESENCE_TTL_MS = 45_000;
