import { router } from "@/server/trpc/init";
import { workspaceProcedure } from "@/server/trpc/procedures";
import { fastOutput } from "@/server/trpc/output";
import { okSchema } from "@/shared/schemas/common";
import { presenceInput, presenceTabInput, taskViewersSchema } from "@/shared/schemas/presence";
import { leaveTask, taskViewers, viewTask } from "@/server/services/presence";

export const presenceRouter = router({
  /** Who else has this task open now. Members (people, not keys). */
  task: workspaceProcedure("presence.share")
    .input(presenceInput)
    .output(fastOutput(taskViewersSchema))
    .query(({ ctx, input }) => taskViewers(ctx.scope, input)),
  /** "I have this task open in this tab": sent on opening it and every 20 s; answers who else has. */
  view: workspaceProcedure("presence.share")
    .input(presenceTabInput)
    .output(fastOutput(taskViewersSchema))
    .mutation(({ ctx, input }) => viewTask(ctx.scope, input)),
  /** "I closed this task in this tab" (or hid the tab). */
  leave: workspaceProcedure("presence.share")
    .input(presenceTabInput)
    .output(fastOutput(okSchema))
    .mutation(async ({ ctx, input }) => {
      await leaveTask(ctx.scope, input);
      return { ok: true as const };
    }),
});
