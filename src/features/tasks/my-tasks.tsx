"use client";
import { PageHeader } from "@/features/workspace/app-shell";
import { useWorkspace } from "@/features/workspace/workspace-context";
import { TaskList } from "./task-list";

export function MyTasks() {
  const { userId } = useWorkspace();
  return (
    <>
      <PageHeader title="My tasks" />
      <TaskList baseFilter={{ assigneeId: userId }} showProject lockAssignee />
    </>
  );
}
