import { z } from "zod";
import { router } from "@/server/trpc/init";
import { publicProcedure } from "@/server/trpc/procedures";
import { healthSchema } from "@/shared/schemas/system";
import { userSummarySchema } from "@/shared/schemas/common";
import { checkHealth } from "@/server/services/system";
import { getViewer } from "@/server/services/users";

export const systemRouter = router({
  /** Liveness and database reachability; also served as GET /api/health. Anyone. */
  health: publicProcedure
    .input(z.void())
    .output(healthSchema)
    .query(({ ctx }) => checkHealth(ctx.db)),
  /** The signed-in user, or null. Anyone. */
  me: publicProcedure
    .input(z.void())
    .output(userSummarySchema.nullable())
    .query(({ ctx }) => getViewer(ctx.db, ctx.viewer?.userId ?? null)),
});
