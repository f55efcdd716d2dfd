import { tracked } from "@trpc/server";
import { router } from "@/server/trpc/init";
import { workspaceProcedure } from "@/server/trpc/procedures";
import { toTRPCError } from "@/server/trpc/errors";
import { fastOutput } from "@/server/trpc/output";
import { liveInput, livePositionInput, livePositionSchema } from "@/shared/schemas/live";
import { streamPosition, workspaceLiveEvents } from "@/server/services/live";

export const liveRouter = router({
  /**
   * Where the stream is now: a page reads it before its data and subscribes from it, so a change
   * made while the page loads still reaches it. People only, like the stream.
   */
  position: workspaceProcedure("live.subscribe")
    .input(livePositionInput)
    .output(fastOutput(livePositionSchema))
    .query(({ ctx }) => streamPosition(ctx.scope)),
  /**
   * What changes in the workspace, as it happens (SSE; resumes from the last event id). People
   * only: programs use webhooks. Output: `liveEventSchema`, checked per event in the service
   * (tRPC's `.output()` would see the stream, not its events).
   */
  workspace: workspaceProcedure("live.subscribe")
    .input(liveInput)
    .subscription(async function* ({ ctx, input, signal }) {
      try {
        for await (const { id, event } of workspaceLiveEvents(ctx.scope, input, signal))
          yield id === null ? event : tracked(id, event);
      } catch (error) {
        // Thrown mid-stream, after the middleware that maps errors has returned.
        throw toTRPCError(error);
      }
    }),
});
