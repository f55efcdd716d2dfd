import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { auth } from "@/server/auth/config";
import { AuthCard } from "@/components/auth-card";
import { CreateWorkspaceForm } from "@/features/workspace/create-workspace-form";
import { MyInvitations } from "@/features/workspace/my-invitations";

export const metadata: Metadata = { title: "New workspace" };

export default async function NewWorkspacePage() {
  if (!(await auth())?.user) redirect("/signin?callbackUrl=/new");
  return (
    <AuthCard
      title="Create a workspace"
      subtitle="A workspace holds your team's projects and tasks. You can invite people next."
    >
      <MyInvitations className="mb-4" />
      <CreateWorkspaceForm />
      <p className="mt-4 text-center text-xs text-zinc-500">
        Invited to a workspace? Open the link from your invitation email.{" "}
        <Link href="/" className="underline">
          Home
        </Link>
      </p>
    </AuthCard>
  );
}
