import { router } from "@/server/trpc/init";
import { operatorProcedure } from "@/server/trpc/procedures";
import { fastOutput } from "@/server/trpc/output";
import { jobsOverview, retryJob } from "@/server/services/jobs-admin";
import { jobsOverviewInput, jobsOverviewSchema, retryJobInput } from "@/shared/schemas/jobs";
import { z } from "zod";

export const adminRouter = router({
  /** Every queue's counts and the jobs that need a look (failed, retrying, dead). Operators. */
  jobs: operatorProcedure
    .input(jobsOverviewInput)
    .output(fastOutput(jobsOverviewSchema))
    .query(({ ctx, input }) => jobsOverview(ctx.db, input)),
  /** Retry a failed job, or send a dead one to its queue again. Operators. */
  retryJob: operatorProcedure
    .input(retryJobInput)
    .output(fastOutput(z.object({ retried: z.literal(true) })))
    .mutation(({ ctx, input }) => retryJob(ctx.db, input)),
});
