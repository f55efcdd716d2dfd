/**
 * The API, as a table of contents. Each line is a domain router; each router
 * lists its procedures with who may call them.
 */
import { router, createCallerFactory } from "@/server/trpc/init";
import { systemRouter } from "./system";
import { workspaceRouter } from "./workspace";
import { memberRouter } from "./member";
import { invitationRouter } from "./invitation";
import { projectRouter } from "./project";
import { taskRouter } from "./task";
import { commentRouter } from "./comment";
import { labelRouter } from "./label";
import { activityRouter } from "./activity";
import { searchRouter } from "./search";
import { notificationRouter } from "./notification";
import { apiKeyRouter } from "./api-key";
import { liveRouter } from "./live";
import { presenceRouter } from "./presence";
import { webhookRouter } from "./webhook";
import { adminRouter } from "./admin";

export const appRouter = router({
  system: systemRouter,
  workspace: workspaceRouter,
  member: memberRouter,
  invitation: invitationRouter,
  project: projectRouter,
  task: taskRouter,
  comment: commentRouter,
  label: labelRouter,
  activity: activityRouter,
  search: searchRouter,
  notification: notificationRouter,
  apiKey: apiKeyRouter,
  webhook: webhookRouter,
  live: liveRouter,
  presence: presenceRouter,
  admin: adminRouter,
});

export type AppRouter = typeof appRouter;

export const createCaller = createCallerFactory(appRouter);
