import { router } from "@/server/trpc/init";
import { rest } from "@/server/rest/meta";
import { workspaceProcedure } from "@/server/trpc/procedures";
import { fastOutput } from "@/server/trpc/output";
import { searchInput, searchResultSchema } from "@/shared/schemas/search";
import { searchTasks } from "@/server/services/search";

export const searchRouter = router({
  /** Ranked full-text search over task titles, descriptions and comments; a WEB-42 reference jumps to that task. Members. */
  tasks: workspaceProcedure("task.read")
    .meta(rest("GET", "/search", "Search", "Quick search (the command palette's)"))
    .input(searchInput)
    .output(fastOutput(searchResultSchema))
    .query(({ ctx, input }) => searchTasks(ctx.scope, input)),
});
