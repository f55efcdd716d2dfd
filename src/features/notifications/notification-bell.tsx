"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { useTRPC } from "@/trpc/client";
import { useWorkspace } from "@/features/workspace/workspace-context";
import { timeAgo } from "@/features/activity/describe";
import { cn } from "@/components/ui/cn";
import type { NotificationDto } from "@/shared/schemas/notification";
import { EmailPreferences } from "./email-preferences";

/** Who did what, before the task's link; a task due soon is Lanes speaking, with no one named. */
function lead(n: NotificationDto): React.ReactNode {
  if (n.type === "DUE_SOON") return <span className="font-medium">Due soon:</span>;
  const what = { MENTION: "mentioned you on", ASSIGNED: "assigned you", INVITED: "invited you to" }[n.type];
  return (
    <>
      <span className="font-medium">{n.actor?.name ?? n.actor?.email ?? "Someone"}</span> {what}
    </>
  );
}

/** Unread count in the sidebar; opens the latest notifications. Polls every 30 s. */
export function NotificationBell() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { slug } = useWorkspace();
  const [open, setOpen] = useState(false);
  const list = useQuery({
    ...trpc.notification.list.queryOptions({ workspaceSlug: slug, limit: 20 }),
    // Live updates refresh it as it changes; this only backs them up.
    refetchInterval: 300_000,
  });
  const markRead = useMutation(
    trpc.notification.markRead.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.notification.list.pathKey() }),
    }),
  );
  const unread = list.data?.unreadCount ?? 0;
  return (
    <div className="relative">
      <button
        type="button"
        onClick={() => setOpen((o) => !o)}
        onKeyDown={(e) => e.key === "Escape" && setOpen(false)}
        aria-expanded={open}
        className="flex w-full items-center justify-between rounded-md px-2 py-1.5 text-sm text-zinc-600 hover:bg-zinc-100"
      >
        Notifications
        {unread ? (
          <span className="rounded-full bg-brand-600 px-1.5 text-xs font-medium text-white" data-testid="unread-count">
            {unread}
          </span>
        ) : null}
      </button>
      {open ? (
        <div
          className="absolute left-full top-0 z-30 ml-2 w-80 rounded-lg border border-zinc-200 bg-white shadow-xl"
          onKeyDown={(e) => e.key === "Escape" && setOpen(false)}
        >
          <div className="flex items-center justify-between border-b border-zinc-100 px-3 py-2 text-xs">
            <span className="font-medium">Notifications</span>
            {unread ? (
              <button
                type="button"
                className="text-brand-700 hover:underline"
                onClick={() => markRead.mutate({ workspaceSlug: slug })}
              >
                Mark all read
              </button>
            ) : null}
          </div>
          <ul className="max-h-96 overflow-y-auto text-sm">
            {list.data?.items.map((n) => (
              <li key={n.id} className={cn("border-b border-zinc-50 px-3 py-2", !n.readAt && "bg-brand-50/50")}>
                {lead(n)}{" "}
                {n.task ? (
                  <Link
                    href={`/w/${slug}/tasks/${n.task.ref}`}
                    className="text-brand-700 hover:underline"
                    onClick={() => {
                      setOpen(false);
                      if (!n.readAt) markRead.mutate({ workspaceSlug: slug, notificationIds: [n.id] });
                    }}
                  >
                    {n.task.ref} {n.task.title}
                  </Link>
                ) : null}
                <p className="text-xs text-zinc-500">{timeAgo(n.createdAt)}</p>
              </li>
            ))}
            {list.data?.items.length === 0 ? (
              <li className="px-3 py-4 text-center text-zinc-500">You are all caught up.</li>
            ) : null}
            {list.isPending ? <li className="px-3 py-4 text-center text-zinc-500">Loading…</li> : null}
            {list.isError ? (
              <li className="px-3 py-4 text-center text-red-600">Could not load notifications.</li>
            ) : null}
          </ul>
          <EmailPreferences />
        </div>
      ) : null}
    </div>
  );
}
