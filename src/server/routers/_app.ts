/**
 * The API, as a table of contents. Each line is a domain router; each router
 * lists its procedures with who may call them.
 */
import { router, createCallerFactory } from "@/server/trpc/init";
import { systemRouter } from "./system";
import { workspaceRouter } from "./workspace";
import { memberRouter } from "./member";
import { invitationRouter } from "./invitation";

export const appRouter = router({
  system: systemRouter,
  workspace: workspaceRouter,
  member: memberRouter,
  invitation: invitationRouter,
});

export type AppRouter = typeof appRouter;

export const createCaller = createCallerFactory(appRouter);
