/** Presence: who else has a task open. */
import { z } from "zod";
import { idSchema, inWorkspace, userSummarySchema } from "./common";

export const presenceInput = inWorkspace({ taskId: idSchema });
/** `tabId`: a random id the browser tab picks, so one person's two tabs are told apart. */
export const presenceTabInput = inWorkspace({
  taskId: idSchema,
  tabId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, "8 to 64 letters, digits, - or _"),
});

export const taskViewersSchema = z.object({
  /** Everyone else with the task open now (not the caller). */
  viewers: z.array(userSummarySchema),
});
export type TaskViewers = z.infer<typeof taskViewersSchema>;

/** How often an open task page says it is still open. */
export const PRESENCE_HEARTBEAT_MS = 20_000;
/** Not heard from for this long: no longer shown as viewing (two missed heartbeats and a margin). */
export const PRESENCE_TTL_MS = 45_000;
