"use client";
import { useInfiniteQuery, useMutation } from "@tanstack/react-query";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { Badge, EmptyState, ErrorState, LoadingState } from "@/components/ui/states";
import { useTRPC } from "@/trpc/client";
import { messageOf } from "@/trpc/errors";
import type { WebhookDeliveryDto } from "@/shared/schemas/webhook";
import { timeAgo } from "@/features/activity/describe";
import { useWorkspace } from "@/features/workspace/workspace-context";

const STATUS_STYLE: Record<WebhookDeliveryDto["status"], string> = {
  PENDING: "bg-amber-100 text-amber-900",
  SUCCEEDED: "bg-emerald-100 text-emerald-900",
  FAILED: "bg-red-100 text-red-900",
};
const STATUS_LABEL: Record<WebhookDeliveryDto["status"], string> = {
  PENDING: "Retrying",
  SUCCEEDED: "Delivered",
  FAILED: "Failed",
};

function Attempts({ delivery }: { delivery: WebhookDeliveryDto }) {
  return (
    <ol className="space-y-1 text-xs">
      {delivery.attempts.map((attempt, i) => (
        <li key={attempt.id} className="flex flex-wrap items-baseline gap-x-3" data-testid="delivery-attempt">
          <span className="text-zinc-500">#{i + 1}</span>
          <time dateTime={attempt.startedAt.toISOString()} title={attempt.startedAt.toLocaleString("en")}>
            {timeAgo(attempt.startedAt)}
          </time>
          {attempt.trigger === "replay" ? <Badge className="bg-zinc-100 text-zinc-700">Replay</Badge> : null}
          <span
            className={cn(
              "font-mono",
              attempt.responseStatus && attempt.responseStatus < 300 ? "text-emerald-700" : "text-red-700",
            )}
          >
            {attempt.responseStatus ?? "—"}
          </span>
          <span className="text-zinc-500">{attempt.durationMs} ms</span>
          {attempt.error && attempt.responseStatus === null ? (
            <span className="text-red-700">{attempt.error}</span>
          ) : null}
          {attempt.responseExcerpt ? (
            <code className="max-w-md truncate rounded bg-zinc-100 px-1 text-zinc-700" title={attempt.responseExcerpt}>
              {attempt.responseExcerpt}
            </code>
          ) : null}
        </li>
      ))}
    </ol>
  );
}

/** A webhook's deliveries, newest first, every attempt, and a button to send one again. */
export function DeliveryLog({ webhookId }: { webhookId: string }) {
  const trpc = useTRPC();
  const { slug, can } = useWorkspace();
  const log = useInfiniteQuery(
    trpc.webhook.deliveries.infiniteQueryOptions(
      { workspaceSlug: slug, webhookId, limit: 20 },
      { getNextPageParam: (page) => page.nextCursor, refetchInterval: 5_000 },
    ),
  );
  const replay = useMutation(
    trpc.webhook.replay.mutationOptions({
      onSuccess: () => toast.success("Sending it again; the result appears in the log"),
      onError: (error) => toast.error(messageOf(error)),
    }),
  );
  if (log.isPending) return <LoadingState label="Loading deliveries…" />;
  if (log.isError) return <ErrorState message={messageOf(log.error)} onRetry={() => void log.refetch()} />;
  const deliveries = log.data.pages.flatMap((p) => p.items);
  if (deliveries.length === 0)
    return <EmptyState title="No deliveries yet">Each event this webhook listens to appears here.</EmptyState>;
  return (
    <div className="space-y-2">
      <ul className="divide-y divide-zinc-100 rounded-md border border-zinc-200">
        {deliveries.map((delivery) => (
          <li key={delivery.id} className="space-y-1 p-3" data-testid="delivery" data-status={delivery.status}>
            <div className="flex flex-wrap items-center gap-2 text-sm">
              <Badge className={STATUS_STYLE[delivery.status]}>{STATUS_LABEL[delivery.status]}</Badge>
              <code className="font-mono text-xs">{delivery.eventType}</code>
              <span className="text-xs text-zinc-500">
                {delivery.attempts.length} {delivery.attempts.length === 1 ? "attempt" : "attempts"}
                {delivery.status === "PENDING" && delivery.nextAttemptAt
                  ? `, next around ${delivery.nextAttemptAt.toLocaleTimeString("en")}`
                  : ""}
              </span>
              <code className="text-xs text-zinc-500" title="The webhook-id header: receivers deduplicate by it">
                {delivery.id}
              </code>
              {can("webhook.manage") ? (
                <Button
                  size="sm"
                  variant="secondary"
                  className="ml-auto"
                  loading={replay.isPending && replay.variables.deliveryId === delivery.id}
                  onClick={() => replay.mutate({ workspaceSlug: slug, deliveryId: delivery.id })}
                >
                  Replay
                </Button>
              ) : null}
            </div>
            <Attempts delivery={delivery} />
          </li>
        ))}
      </ul>
      {log.hasNextPage ? (
        <Button variant="ghost" size="sm" loading={log.isFetchingNextPage} onClick={() => void log.fetchNextPage()}>
          Older deliveries
        </Button>
      ) : null}
    </div>
  );
}
