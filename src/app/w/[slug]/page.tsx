import type { Metadata } from "next";
import { ProjectsPage } from "@/features/projects/projects-page";

export const metadata: Metadata = { title: "Projects" };

/** The workspace's projects: their list is prefetched by the workspace layout (the sidebar shows it too). */
export default function Page() {
  return <ProjectsPage />;
}
