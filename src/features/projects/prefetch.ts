/**
 * What the workspace's pages show first, fetched while the server renders them and handed to the
 * client's query cache (HydrateClient), so the first paint has the data instead of starting a chain
 * of requests after hydration (project → columns). Inputs come from the same definitions the client
 * components use (src/features/tasks/task-list-inputs.ts); a query that fails here is simply not
 * handed over, and the client asks again and shows its own error state. Each waits for the live
 * stream's position first (../live/stream-position.ts): the data is then at least that new.
 */
import "server-only";
import { getQueryClient, trpc } from "@/trpc/server";
import { TASK_STATUSES } from "@/shared/tracker";
import { boardColumnInput, taskListInput } from "@/features/tasks/task-list-inputs";
import { streamPositionFor } from "@/features/live/stream-position";

const nextCursor = (page: { nextCursor: string | null }) => page.nextCursor ?? undefined;

/** The project list: the sidebar on every workspace page, and the workspace home's list. */
export async function prefetchWorkspaceShell(slug: string): Promise<void> {
  await streamPositionFor(slug);
  await getQueryClient().prefetchQuery(trpc.project.list.queryOptions({ workspaceSlug: slug }));
}

/** A project's board (every column's first page and the totals) or its unfiltered list. */
export async function prefetchProjectView(slug: string, key: string, view: "board" | "list"): Promise<void> {
  await streamPositionFor(slug);
  const queryClient = getQueryClient();
  const project = await queryClient
    .fetchQuery(trpc.project.byKey.queryOptions({ workspaceSlug: slug, key }))
    .catch(() => null);
  if (!project) return;
  if (view === "board") {
    await Promise.all([
      ...TASK_STATUSES.map((status) =>
        queryClient.prefetchInfiniteQuery(
          trpc.task.list.infiniteQueryOptions(boardColumnInput(slug, project.id, status), {
            getNextPageParam: nextCursor,
          }),
        ),
      ),
      queryClient.prefetchQuery(trpc.task.statusCounts.queryOptions({ workspaceSlug: slug, projectId: project.id })),
    ]);
    return;
  }
  await Promise.all([
    queryClient.prefetchInfiniteQuery(
      trpc.task.list.infiniteQueryOptions(taskListInput(slug, { projectId: project.id }, "created"), {
        getNextPageParam: nextCursor,
      }),
    ),
    queryClient.prefetchQuery(trpc.member.list.queryOptions({ workspaceSlug: slug })),
    queryClient.prefetchQuery(trpc.label.list.queryOptions({ workspaceSlug: slug })),
  ]);
}
