import { router } from "@/server/trpc/init";
import { rest } from "@/server/rest/meta";
import { workspaceProcedure } from "@/server/trpc/procedures";
import { fastOutput } from "@/server/trpc/output";
import { activityPageSchema, taskActivityInput, workspaceFeedInput } from "@/shared/schemas/activity";
import { taskActivity, workspaceFeed } from "@/server/services/activity";

export const activityRouter = router({
  /** Everything that happened in the workspace, newest first. Members. */
  feed: workspaceProcedure("activity.read")
    .meta(rest("GET", "/activity", "Activity", "The workspace's activity trail"))
    .input(workspaceFeedInput)
    .output(fastOutput(activityPageSchema))
    .query(({ ctx, input }) => workspaceFeed(ctx.scope, input)),
  /** One task's history, oldest first. Members. */
  forTask: workspaceProcedure("activity.read")
    .meta(rest("GET", "/tasks/{taskId}/activity", "Activity", "A task's history"))
    .input(taskActivityInput)
    .output(fastOutput(activityPageSchema))
    .query(({ ctx, input }) => taskActivity(ctx.scope, input)),
});
