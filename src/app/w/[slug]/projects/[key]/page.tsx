import type { Metadata } from "next";
import { Suspense } from "react";
import { ProjectView } from "@/features/projects/project-view";

export async function generateMetadata({ params }: { params: Promise<{ key: string }> }): Promise<Metadata> {
  return { title: (await params).key.toUpperCase() };
}

export default async function ProjectPage({ params }: { params: Promise<{ key: string }> }) {
  const { key } = await params;
  return (
    <Suspense>
      <ProjectView projectKey={key.toUpperCase()} />
    </Suspense>
  );
}
