import { z } from "zod";
import { idSchema, inWorkspace, pageInput, pageOf, userSummarySchema } from "./common";

export const notificationSchema = z.object({
  id: z.string(),
  type: z.enum(["MENTION", "ASSIGNED", "INVITED", "DUE_SOON"]),
  actor: userSummarySchema.nullable(),
  task: z.object({ ref: z.string(), title: z.string() }).nullable(),
  readAt: z.date().nullable(),
  createdAt: z.date(),
});
export type NotificationDto = z.infer<typeof notificationSchema>;

export const listNotificationsInput = inWorkspace({ unreadOnly: z.boolean().default(false), ...pageInput });
export const notificationPageSchema = pageOf(notificationSchema).extend({ unreadCount: z.number().int() });
export const markReadInput = inWorkspace({ notificationIds: z.array(idSchema).min(1).max(100).optional() });

/** Which notifications are also emailed (in-app ones always appear). One person's, for every workspace. */
export const emailPreferencesSchema = z.object({
  emailOnMention: z.boolean(),
  emailOnAssignment: z.boolean(),
  /** A daily list of one's open tasks due today or tomorrow, or overdue. */
  emailOnDueSoon: z.boolean(),
});
export type EmailPreferences = z.infer<typeof emailPreferencesSchema>;
export const emailPreferencesInput = z.void();
export const setEmailPreferencesInput = z.strictObject({
  emailOnMention: z.boolean().optional(),
  emailOnAssignment: z.boolean().optional(),
  emailOnDueSoon: z.boolean().optional(),
});
