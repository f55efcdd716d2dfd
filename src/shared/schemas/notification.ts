import { z } from "zod";
import { idSchema, inWorkspace, pageInput, pageOf, userSummarySchema } from "./common";

export const notificationSchema = z.object({
  id: z.string(),
  type: z.enum(["MENTION", "ASSIGNED", "INVITED"]),
  actor: userSummarySchema.nullable(),
  task: z.object({ ref: z.string(), title: z.string() }).nullable(),
  readAt: z.date().nullable(),
  createdAt: z.date(),
});
export type NotificationDto = z.infer<typeof notificationSchema>;

export const listNotificationsInput = inWorkspace({ unreadOnly: z.boolean().default(false), ...pageInput });
export const notificationPageSchema = pageOf(notificationSchema).extend({ unreadCount: z.number().int() });
export const markReadInput = inWorkspace({ notificationIds: z.array(idSchema).min(1).max(100).optional() });
