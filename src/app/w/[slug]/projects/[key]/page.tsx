import type { Metadata } from "next";
import { Suspense } from "react";
import { HydrateClient } from "@/trpc/server";
import { ProjectView } from "@/features/projects/project-view";
import { prefetchProjectView } from "@/features/projects/prefetch";

type Props = {
  params: Promise<{ slug: string; key: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: (await params).key.toUpperCase() };
}

/** A project's board or list, its first pages fetched while rendering (no request chain after hydration). */
export default async function ProjectPage({ params, searchParams }: Props) {
  const [{ slug, key }, search] = await Promise.all([params, searchParams]);
  const projectKey = key.toUpperCase();
  await prefetchProjectView(slug, projectKey, search.view === "list" ? "list" : "board");
  return (
    <HydrateClient>
      <Suspense>
        <ProjectView projectKey={projectKey} />
      </Suspense>
    </HydrateClient>
  );
}
