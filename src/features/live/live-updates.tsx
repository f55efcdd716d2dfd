"use client";
/**
 * Keeps every page of a workspace current: one subscription (live.workspace over SSE) per tab; each
 * event marks parts of the API stale and the queries on screen refetch, through the same procedures
 * and permission checks as any read. Refetches are gathered for a moment and wait for this tab's own
 * pending edits, so an optimistic move is not overwritten by an older answer.
 */
import { useQueryClient } from "@tanstack/react-query";
import { useSubscription } from "@trpc/tanstack-react-query";
import { useCallback, useEffect, useRef } from "react";
import { useTRPC } from "@/trpc/client";
import { errorCodeOf } from "@/trpc/errors";
import { cn } from "@/components/ui/cn";
import type { LiveEvent } from "@/shared/schemas/live";
import { useWorkspace } from "@/features/workspace/workspace-context";
import { affectedRouters, EVERYTHING, type RouterName } from "./affected";

/** Events arriving within this window cause one refetch. */
const GATHER_MS = 100;

function useStaleMarker() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const stale = useRef(new Set<RouterName>());
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const flush = useCallback(() => {
    timer.current = null;
    // This tab's own edit in flight: its answer (and its own refetch) comes first.
    if (queryClient.isMutating() > 0) {
      timer.current = setTimeout(flush, GATHER_MS);
      return;
    }
    const routers = [...stale.current];
    stale.current.clear();
    for (const name of routers) void queryClient.invalidateQueries({ queryKey: trpc[name].pathKey() });
  }, [queryClient, trpc]);

  useEffect(() => () => void (timer.current && clearTimeout(timer.current)), []);

  return useCallback(
    (routers: readonly RouterName[]) => {
      if (routers.length === 0) return;
      for (const name of routers) stale.current.add(name);
      timer.current ??= setTimeout(flush, GATHER_MS);
    },
    [flush],
  );
}

/** tracked events arrive as { id, data }; the others as themselves. */
function eventOf(value: LiveEvent | { id: string; data: LiveEvent }): LiveEvent {
  return "data" in value ? value.data : value;
}

export function LiveUpdates() {
  const trpc = useTRPC();
  const { slug } = useWorkspace();
  const markStale = useStaleMarker();
  const connections = useRef(0);

  const subscription = useSubscription(
    trpc.live.workspace.subscriptionOptions(
      { workspaceSlug: slug },
      {
        onData: (value) => {
          const event = eventOf(value);
          // A reconnection replays the stream's events, but not inbox hints it missed meanwhile.
          if (event.kind === "ready" && connections.current++ > 0) markStale(["notification"]);
          markStale(affectedRouters(event));
        },
        onError: (error) => {
          // Removed from the workspace: workspace.get then says so, and the shell leaves the page.
          markStale(errorCodeOf(error) === "NOT_FOUND" ? ["workspace"] : EVERYTHING);
        },
      },
    ),
  );

  const live = subscription.status === "pending";
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
