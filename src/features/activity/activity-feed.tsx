"use client";
import { useInfiniteQuery } from "@tanstack/react-query";
import Link from "next/link";
import { Button } from "@/components/ui/button";
import { Avatar, EmptyState, ErrorState, LoadingState } from "@/components/ui/states";
import { useTRPC } from "@/trpc/client";
import { messageOf } from "@/trpc/errors";
import { PageHeader } from "@/features/workspace/app-shell";
import { useWorkspace } from "@/features/workspace/workspace-context";
import { actorName, commentExcerpt, describeActivity, taskLabel, timeAgo, viaApiKey } from "./describe";
import { usePeople } from "@/features/workspace/use-people";

/** The workspace's audit trail, newest first, 50 at a time. */
export function ActivityFeed() {
  const trpc = useTRPC();
  const { slug } = useWorkspace();
  const people = usePeople();
  const feed = useInfiniteQuery(
    trpc.activity.feed.infiniteQueryOptions(
      { workspaceSlug: slug, limit: 50 },
      { getNextPageParam: (p) => p.nextCursor ?? undefined },
    ),
  );
  const events = feed.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <>
      <PageHeader title="Activity" />
      <div className="mx-auto max-w-3xl p-6">
        {feed.isPending ? (
          <LoadingState />
        ) : feed.isError ? (
          <ErrorState message={messageOf(feed.error)} onRetry={() => void feed.refetch()} />
        ) : events.length === 0 ? (
          <EmptyState title="Nothing has happened yet" />
        ) : (
          <ol className="space-y-3" data-testid="activity-feed">
            {events.map((e) => (
              <li key={e.id} className="flex items-start gap-3 text-sm">
                <Avatar name={actorName(e)} size={24} />
                <p className="min-w-0 flex-1 text-zinc-700">
                  <span className="font-medium text-zinc-900">{actorName(e)}</span>{" "}
                  {viaApiKey(e) ? (
                    <span className="mr-1 rounded bg-zinc-100 px-1 text-xs text-zinc-600" title={e.apiKey?.prefix}>
                      {viaApiKey(e)}
                    </span>
                  ) : null}
                  {describeActivity({ ...e, task: null }, people)}
                  {e.task ? (
                    <>
                      {e.action === "task.created" || e.action === "task.deleted" ? " " : " on "}
                      <Link
                        href={`/w/${slug}/tasks/${e.task.ref}`}
                        className="font-mono text-xs text-brand-700 hover:underline"
                      >
                        {e.task.ref}
                      </Link>{" "}
                      <span className="text-zinc-500">{taskLabel(e.task)}</span>
                    </>
                  ) : null}
                  <span className="ml-2 text-xs text-zinc-500" title={e.createdAt.toLocaleString("en")}>
                    {timeAgo(e.createdAt)}
                  </span>
                  {commentExcerpt(e) ? (
                    <span className="block truncate text-zinc-500">“{commentExcerpt(e)}”</span>
                  ) : null}
                </p>
              </li>
            ))}
          </ol>
        )}
        {feed.hasNextPage ? (
          <Button
            className="mt-4"
            variant="secondary"
            loading={feed.isFetchingNextPage}
            onClick={() => void feed.fetchNextPage()}
          >
            Load older activity
          </Button>
        ) : null}
      </div>
    </>
  );
}
