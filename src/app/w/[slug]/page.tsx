import type { Metadata } from "next";
import { HydrateClient } from "@/trpc/server";
import { ProjectsPage } from "@/features/projects/projects-page";
import { prefetchProjectsPage } from "@/features/projects/prefetch";

export const metadata: Metadata = { title: "Projects" };

export default async function Page({ params }: { params: Promise<{ slug: string }> }) {
  await prefetchProjectsPage((await params).slug);
  return (
    <HydrateClient>
      <ProjectsPage />
    </HydrateClient>
  );
}
