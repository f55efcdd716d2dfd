import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getQueryClient, HydrateClient, trpc } from "@/trpc/server";
import { isNotFound } from "@/server/trpc/caller-errors";
import { TaskPage } from "@/features/tasks/task-page";
import { streamPositionFor } from "@/features/live/stream-position";

type Params = { params: Promise<{ slug: string; ref: string }> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  return { title: decodeURIComponent((await params).ref).toUpperCase() };
}

/** A task at its stable URL, /w/<workspace>/tasks/WEB-42: fetched on the server, hydrated on the client. */
export default async function Page({ params }: Params) {
  const { slug, ref } = await params;
  const taskRef = decodeURIComponent(ref).toUpperCase();
  // Before the data, as every prefetch does: the live stream resumes from here.
  await streamPositionFor(slug);
  await getQueryClient()
    .fetchQuery(trpc.task.byRef.queryOptions({ workspaceSlug: slug, ref: taskRef }))
    .catch((error: unknown) => {
      if (isNotFound(error)) notFound();
      throw error;
    });
  return (
    <HydrateClient>
      <TaskPage taskRef={taskRef} />
    </HydrateClient>
  );
}
