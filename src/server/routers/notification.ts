import { z } from "zod";
import { router } from "@/server/trpc/init";
import { workspaceProcedure } from "@/server/trpc/procedures";
import { listNotificationsInput, markReadInput, notificationPageSchema } from "@/shared/schemas/notification";
import { listNotifications, markRead } from "@/server/services/notifications";

export const notificationRouter = router({
  /** The caller's own notifications in this workspace, newest first. Members. */
  list: workspaceProcedure("notification.own")
    .input(listNotificationsInput)
    .output(notificationPageSchema)
    .query(({ ctx, input }) => listNotifications(ctx.scope, input)),
  /** Mark some (or all) of the caller's notifications read. Members. */
  markRead: workspaceProcedure("notification.own")
    .input(markReadInput)
    .output(z.object({ updated: z.number().int() }))
    .mutation(({ ctx, input }) => markRead(ctx.scope, input)),
});
