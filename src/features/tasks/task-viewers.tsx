"use client";
/**
 * Who else has this task open (presence). While mounted and visible, the tab says "I have it open"
 * at once and every PRESENCE_HEARTBEAT_MS, and "I closed it" when unmounted or hidden; the list
 * refetches when the live stream says someone came or went (and on an interval, to drop those whose
 * tab vanished without a word).
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { Avatar } from "@/components/ui/states";
import { useTRPC } from "@/trpc/client";
import { useWorkspace } from "@/features/workspace/workspace-context";
import { PRESENCE_HEARTBEAT_MS } from "@/shared/schemas/presence";
import type { UserSummary } from "@/shared/schemas/common";

const nameOf = (user: UserSummary) => user.name ?? user.email;

export function TaskViewers({ taskId }: { taskId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { slug } = useWorkspace();
  const input = { workspaceSlug: slug, taskId };
  const viewers = useQuery({
    ...trpc.presence.task.queryOptions(input),
    refetchInterval: PRESENCE_HEARTBEAT_MS,
  });
  const key = trpc.presence.task.queryKey(input);
  const view = useMutation(
    trpc.presence.view.mutationOptions({ onSuccess: (answer) => queryClient.setQueryData(key, answer) }),
  );
  const leave = useMutation(trpc.presence.leave.mutationOptions());
  const { mutate: sayViewing } = view;
  const { mutate: sayLeft } = leave;
  // This tab's own id: the same person's other tabs are counted apart. (getRandomValues, not
  // randomUUID: the latter exists only on HTTPS or localhost, and Lanes may be served over plain HTTP.)
  const [tabId] = useState(() =>
    Array.from(crypto.getRandomValues(new Uint8Array(12)), (b) => b.toString(16).padStart(2, "0")).join(""),
  );

  useEffect(() => {
    const tab = { workspaceSlug: slug, taskId, tabId };
    let timer: ReturnType<typeof setInterval> | null = null;
    const start = () => {
      if (timer) return;
      sayViewing(tab);
      timer = setInterval(() => sayViewing(tab), PRESENCE_HEARTBEAT_MS);
    };
    const stop = () => {
      if (!timer) return;
      clearInterval(timer);
      timer = null;
      sayLeft(tab);
    };
    // A hidden tab is not "viewing" (and browsers slow its timers past the TTL): it leaves, and
    // comes back when shown again.
    const onVisibility = () => (document.visibilityState === "hidden" ? stop() : start());
    if (document.visibilityState !== "hidden") start();
    document.addEventListener("visibilitychange", onVisibility);
    return () => {
      document.removeEventListener("visibilitychange", onVisibility);
      stop();
    };
  }, [slug, taskId, tabId, sayViewing, sayLeft]);

  const others = viewers.data?.viewers ?? [];
  if (others.length === 0) return null;
  const names = others.map(nameOf);
  return (
    <p className="flex items-center gap-1.5 text-xs text-zinc-600" data-testid="task-viewers" aria-live="polite">
      <span className="flex -space-x-1.5">
        {others.slice(0, 5).map((user) => (
          <span key={user.id} className="rounded-full ring-2 ring-white">
            <Avatar name={nameOf(user)} size={20} />
          </span>
        ))}
      </span>
      <span>
        {names.length === 1
          ? `${names[0]} is also viewing`
          : names.length === 2
            ? `${names[0]} and ${names[1]} are also viewing`
            : `${names[0]} and ${names.length - 1} others are also viewing`}
      </span>
    </p>
  );
}
