import type { Metadata } from "next";
import { notFound, redirect } from "next/navigation";
import { auth } from "@/server/auth/config";
import { serverCaller } from "@/trpc/server";
import { isNotFound } from "@/server/trpc/caller-errors";
import { AuthCard } from "@/components/auth-card";
import { AcceptInvitation } from "@/features/workspace/accept-invitation";

export const metadata: Metadata = { title: "Invitation" };

export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const session = await auth();
  if (!session?.user?.email) redirect(`/signin?callbackUrl=${encodeURIComponent(`/invite/${token}`)}`);
  const preview = await (await serverCaller()).invitation.preview({ token }).catch((error: unknown) => {
    if (isNotFound(error)) notFound();
    throw error;
  });
  return (
    <AuthCard
      title={`Join ${preview.workspace.name}`}
      subtitle={
        <>
          {preview.invitedBy} invited {preview.email} to join as {preview.role.toLowerCase()}.
        </>
      }
    >
      <AcceptInvitation token={token} preview={preview} myEmail={session.user.email} />
    </AuthCard>
  );
}
