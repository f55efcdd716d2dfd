import { z } from "zod";
import { router } from "@/server/trpc/init";
import { publicProcedure } from "@/server/trpc/procedures";
import { fastOutput } from "@/server/trpc/output";
import { healthSchema } from "@/shared/schemas/system";
import { userSummarySchema } from "@/shared/schemas/common";
import { checkHealth } from "@/server/services/system";
import { getViewer } from "@/server/services/users";

export const systemRouter = router({
  /** Liveness and database reachability; also served as GET /api/health. Anyone. */
  health: publicProcedure
    .input(z.void())
    .output(fastOutput(healthSchema))
    .query(({ ctx }) => checkHealth(ctx.db)),
  /** The signed-in user, or null. Anyone. */
  me: publicProcedure
    .input(z.void())
    .output(fastOutput(userSummarySchema.nullable()))
    .query(({ ctx }) => getViewer(ctx.db, ctx.viewer?.userId ?? null)),
});
