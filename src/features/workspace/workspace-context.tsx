"use client";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { createContext, useContext, useEffect, useMemo, useRef } from "react";
import { toast } from "sonner";
import { useTRPC } from "@/trpc/client";
import { errorCodeOf } from "@/trpc/errors";
import { can, type Permission, type Role } from "@/shared/roles";
import type { MyWorkspace } from "@/shared/schemas/workspace";
import { ROLE_LABEL } from "./roles-copy";

type WorkspaceValue = { slug: string; name: string; role: Role; userId: string };
type WorkspaceContextValue = WorkspaceValue & { can: (permission: Permission) => boolean };

const WorkspaceContext = createContext<WorkspaceContextValue | null>(null);

/**
 * The caller's membership, kept current on the client: workspace.get, seeded by
 * the server render and refetched when the tab regains focus and after any
 * mutation the server refused as FORBIDDEN (someone changed this person's role in
 * another tab or browser). The controls then follow the role the server enforces,
 * instead of offering edits that can only fail.
 */
function useLiveMembership(initial: MyWorkspace) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const slug = initial.slug;
  const membership = useQuery({ ...trpc.workspace.get.queryOptions({ workspaceSlug: slug }), initialData: initial });

  useEffect(() => {
    const queryKey = trpc.workspace.get.queryKey({ workspaceSlug: slug });
    return queryClient.getMutationCache().subscribe((event) => {
      if (
        event.type === "updated" &&
        event.action.type === "error" &&
        errorCodeOf(event.action.error) === "FORBIDDEN"
      ) {
        void queryClient.invalidateQueries({ queryKey });
      }
    });
  }, [queryClient, trpc, slug]);

  // Say so when the role changes under the person's feet; leave when they were removed.
  const shownRole = useRef(initial.role);
  const role = membership.data.role;
  useEffect(() => {
    if (role === shownRole.current) return;
    shownRole.current = role;
    toast.info(`Your role in ${membership.data.name} is now ${ROLE_LABEL[role]}.`, { id: "role-changed" });
  }, [role, membership.data.name]);
  const removed = membership.isError && errorCodeOf(membership.error) === "NOT_FOUND";
  useEffect(() => {
    if (!removed) return;
    toast.error(`You are no longer a member of ${initial.name}.`, { id: "membership-removed" });
    router.push("/");
    router.refresh();
  }, [removed, initial.name, router]);

  return membership.data;
}

export function WorkspaceProvider({
  workspace,
  userId,
  children,
}: {
  workspace: MyWorkspace;
  userId: string;
  children: React.ReactNode;
}) {
  const live = useLiveMembership(workspace);
  const memo = useMemo<WorkspaceContextValue>(
    () => ({ slug: live.slug, name: live.name, role: live.role, userId, can: (p: Permission) => can(live.role, p) }),
    [live.slug, live.name, live.role, userId],
  );
  return <WorkspaceContext.Provider value={memo}>{children}</WorkspaceContext.Provider>;
}

/** The current workspace, the caller's role, and what the permission table lets them do. */
export function useWorkspace(): WorkspaceContextValue {
  const value = useContext(WorkspaceContext);
  if (!value) throw new Error("useWorkspace must be used inside a workspace page");
  return value;
}
