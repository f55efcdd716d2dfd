"use client";
import { useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/trpc/client";

/** After any task change: refetch every task list, board column, count and search in view. */
export function useInvalidateTasks() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.task.list.pathKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.task.statusCounts.pathKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.project.list.pathKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.activity.pathKey() }),
    ]);
}
