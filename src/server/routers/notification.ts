import { z } from "zod";
import { router } from "@/server/trpc/init";
import { authedProcedure, workspaceProcedure } from "@/server/trpc/procedures";
import { fastOutput } from "@/server/trpc/output";
import {
  emailPreferencesInput,
  emailPreferencesSchema,
  listNotificationsInput,
  markReadInput,
  notificationPageSchema,
  setEmailPreferencesInput,
} from "@/shared/schemas/notification";
import { listNotifications, markRead } from "@/server/services/notifications";
import { emailPreferences, setEmailPreferences } from "@/server/services/notification-email";

export const notificationRouter = router({
  /** The caller's own notifications in this workspace, newest first. Members. */
  list: workspaceProcedure("notification.own")
    .input(listNotificationsInput)
    .output(fastOutput(notificationPageSchema))
    .query(({ ctx, input }) => listNotifications(ctx.scope, input)),
  /** Mark some (or all) of the caller's notifications read. Members. */
  markRead: workspaceProcedure("notification.own")
    .input(markReadInput)
    .output(fastOutput(z.object({ updated: z.number().int() })))
    .mutation(({ ctx, input }) => markRead(ctx.scope, input)),
  /** Which notifications the caller also gets by email. The signed-in person (not a key). */
  emailPreferences: authedProcedure
    .input(emailPreferencesInput)
    .output(fastOutput(emailPreferencesSchema))
    .query(({ ctx }) => emailPreferences(ctx.user)),
  /** Turn mention or assignment emails on or off. The signed-in person (not a key). */
  setEmailPreferences: authedProcedure
    .input(setEmailPreferencesInput)
    .output(fastOutput(emailPreferencesSchema))
    .mutation(({ ctx, input }) => setEmailPreferences(ctx.user, input)),
});
