import type { Metadata } from "next";
import { MyTasks } from "@/features/tasks/my-tasks";

export const metadata: Metadata = { title: "My tasks" };

export default function Page() {
  return <MyTasks />;
}
