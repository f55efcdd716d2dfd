import { notFound, redirect } from "next/navigation";
import { auth } from "@/server/auth/config";
import { HydrateClient, serverCaller } from "@/trpc/server";
import { prefetchWorkspaceShell } from "@/features/projects/prefetch";
import { isNotFound } from "@/server/trpc/caller-errors";
import { WorkspaceProvider } from "@/features/workspace/workspace-context";
import { AppShell } from "@/features/workspace/app-shell";
import { streamPositionFor } from "@/features/live/stream-position";

export default async function WorkspaceLayout({
  children,
  params,
}: {
  children: React.ReactNode;
  params: Promise<{ slug: string }>;
}) {
  const { slug } = await params;
  const session = await auth();
  if (!session?.user) redirect(`/signin?callbackUrl=${encodeURIComponent(`/w/${slug}`)}`);
  // Before any data: the live subscription resumes from here (see stream-position.ts).
  const liveSince = await streamPositionFor(slug);
  const caller = await serverCaller();
  const workspace = await caller.workspace.get({ workspaceSlug: slug }).catch((error: unknown) => {
    if (isNotFound(error)) notFound();
    throw error;
  });
  const [workspaces, me] = await Promise.all([
    caller.workspace.list(),
    caller.system.me(),
    prefetchWorkspaceShell(slug),
  ]);
  if (!me) redirect("/signin");
  return (
    <HydrateClient>
      <WorkspaceProvider workspace={workspace} userId={me.id}>
        <AppShell workspaces={workspaces} me={me} liveSince={liveSince}>
          {children}
        </AppShell>
      </WorkspaceProvider>
    </HydrateClient>
  );
}
