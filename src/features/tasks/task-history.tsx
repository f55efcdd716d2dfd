"use client";
import { useInfiniteQuery } from "@tanstack/react-query";
import { Button } from "@/components/ui/button";
import { ErrorState, LoadingState } from "@/components/ui/states";
import { usePeople } from "@/features/workspace/use-people";
import { useTRPC } from "@/trpc/client";
import { messageOf } from "@/trpc/errors";
import { useWorkspace } from "@/features/workspace/workspace-context";
import { actorName, describeActivity, timeAgo, viaApiKey } from "@/features/activity/describe";

/** The task's audit trail, oldest first. */
export function TaskHistory({ taskId }: { taskId: string }) {
  const trpc = useTRPC();
  const { slug } = useWorkspace();
  const people = usePeople();
  const history = useInfiniteQuery(
    trpc.activity.forTask.infiniteQueryOptions(
      { workspaceSlug: slug, taskId, limit: 50 },
      { getNextPageParam: (p) => p.nextCursor ?? undefined },
    ),
  );
  if (history.isPending) return <LoadingState label="Loading history…" />;
  if (history.isError) return <ErrorState message={messageOf(history.error)} onRetry={() => void history.refetch()} />;
  const events = history.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <section aria-labelledby="history-heading" className="space-y-2">
      <h2 id="history-heading" className="text-sm font-semibold">
        History
      </h2>
      <ol className="space-y-1.5 border-l border-zinc-200 pl-4 text-xs text-zinc-600" data-testid="task-history">
        {events.map((e) => (
          <li key={e.id}>
            <span className="font-medium text-zinc-800">{actorName(e)}</span>{" "}
            {viaApiKey(e) ? (
              <span className="mr-1 rounded bg-zinc-100 px-1 text-xs text-zinc-600" title={e.apiKey?.prefix}>
                {viaApiKey(e)}
              </span>
            ) : null}
            {describeActivity({ ...e, task: null }, people)}{" "}
            <span className="text-zinc-500" title={e.createdAt.toLocaleString("en")}>
              · {timeAgo(e.createdAt)}
            </span>
          </li>
        ))}
      </ol>
      {history.hasNextPage ? (
        <Button
          size="sm"
          variant="ghost"
          loading={history.isFetchingNextPage}
          onClick={() => void history.fetchNextPage()}
        >
          Older changes
        </Button>
      ) : null}
    </section>
  );
}
