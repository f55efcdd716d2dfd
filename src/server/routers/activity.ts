import { router } from "@/server/trpc/init";
import { workspaceProcedure } from "@/server/trpc/procedures";
import { activityPageSchema, taskActivityInput, workspaceFeedInput } from "@/shared/schemas/activity";
import { taskActivity, workspaceFeed } from "@/server/services/activity";

export const activityRouter = router({
  /** Everything that happened in the workspace, newest first. Members. */
  feed: workspaceProcedure("activity.read")
    .input(workspaceFeedInput)
    .output(activityPageSchema)
    .query(({ ctx, input }) => workspaceFeed(ctx.scope, input)),
  /** One task's history, oldest first. Members. */
  forTask: workspaceProcedure("activity.read")
    .input(taskActivityInput)
    .output(activityPageSchema)
    .query(({ ctx, input }) => taskActivity(ctx.scope, input)),
});
