"use client";
import { createContext, useContext, useMemo } from "react";
import { can, type Permission, type Role } from "@/shared/roles";

type WorkspaceValue = { slug: string; name: string; role: Role; userId: string };
type WorkspaceContextValue = WorkspaceValue & { can: (permission: Permission) => boolean };

const WorkspaceContext = createContext<WorkspaceContextValue | null>(null);

export function WorkspaceProvider({ value, children }: { value: WorkspaceValue; children: React.ReactNode }) {
  const memo = useMemo(() => ({ ...value, can: (p: Permission) => can(value.role, p) }), [value]);
  return <WorkspaceContext.Provider value={memo}>{children}</WorkspaceContext.Provider>;
}

/** The current workspace, the caller's role, and what the permission table lets them do. */
export function useWorkspace(): WorkspaceContextValue {
  const value = useContext(WorkspaceContext);
  if (!value) throw new Error("useWorkspace must be used inside a workspace page");
  return value;
}
