"use client";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/trpc/client";
import { useWorkspace } from "./workspace-context";

/** Member user id → display name, for rendering stored ids (e.g. in the activity trail). */
export function usePeople(): Map<string, string> {
  const trpc = useTRPC();
  const { slug } = useWorkspace();
  const members = useQuery(trpc.member.list.queryOptions({ workspaceSlug: slug }));
  return new Map((members.data ?? []).map((m) => [m.user.id, m.user.name ?? m.user.email]));
}
