"use client";
/**
 * Keeps every page of a workspace current: one subscription (live.workspace over SSE) per tab; each
 * event marks parts of the API stale and the queries on screen refetch, through the same procedures
 * and permission checks as any read (./stale-marker.ts gathers them).
 */
import { useQueryClient } from "@tanstack/react-query";
import { useSubscription } from "@trpc/tanstack-react-query";
import { useEffect, useState } from "react";
import { useTRPC } from "@/trpc/client";
import { errorCodeOf } from "@/trpc/errors";
import { cn } from "@/components/ui/cn";
import type { LiveEvent } from "@/shared/schemas/live";
import { useWorkspace } from "@/features/workspace/workspace-context";
import { EVERYTHING } from "./affected";
import { StaleMarker } from "./stale-marker";

/** tracked events arrive as { id, data }; the others as themselves. */
function eventOf(value: LiveEvent | { id: string; data: LiveEvent }): LiveEvent {
  return "data" in value ? value.data : value;
}

/**
 * `since`: the stream position the server read before rendering this page's data. Subscribing from it
 * replays what changed while the page loaded; later reconnects resume from the newest event instead.
 */
export function LiveUpdates({ since }: { since: string | null }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { slug } = useWorkspace();
  const [marker] = useState(
    () =>
      new StaleMarker(
        (routers) => {
          for (const name of routers) void queryClient.invalidateQueries({ queryKey: trpc[name].pathKey() });
        },
        () => queryClient.isMutating() > 0,
      ),
  );
  useEffect(() => () => marker.cancel(), [marker]);
  const [ready, setReady] = useState(false);
  // The first render's position only: a later server render (router.refresh) must not move it back.
  const [lastEventId] = useState(since);

  const subscription = useSubscription(
    trpc.live.workspace.subscriptionOptions(
      { workspaceSlug: slug, lastEventId },
      {
        // Connected is not yet live: the server fixes the stream's position (its first event, `ready`)
        // a moment after each connection opens, and only changes after that position reach this tab.
        onStarted: () => setReady(false),
        onData: (value) => {
          const event = eventOf(value);
          if (event.kind === "ready") setReady(true);
          marker.receive(event);
        },
        // Removed from the workspace: workspace.get then says so, and the shell leaves the page.
        onError: (error) => marker.mark(errorCodeOf(error) === "NOT_FOUND" ? ["workspace"] : EVERYTHING),
      },
    ),
  );

  const live = subscription.status === "pending" && ready;
  return (
    <p
      className="flex items-center gap-1.5 px-2 text-xs text-zinc-500"
      data-testid="live-status"
      data-live={live ? "on" : "off"}
      title={live ? "Changes by others appear as they happen" : "Reconnecting to live updates…"}
    >
      <span aria-hidden className={cn("inline-block size-1.5 rounded-full", live ? "bg-emerald-500" : "bg-zinc-300")} />
      {live ? "Live" : "Connecting…"}
    </p>
  );
}
