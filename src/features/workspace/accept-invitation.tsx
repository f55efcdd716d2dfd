"use client";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import Link from "next/link";
import { Button } from "@/components/ui/button";
import { useTRPC } from "@/trpc/client";
import type { InvitationPreview } from "@/shared/schemas/workspace";
import { signOutAction } from "@/app/signin/actions";
import { FormError } from "@/components/form-error";

export function AcceptInvitation({
  token,
  preview,
  myEmail,
}: {
  token: string;
  preview: InvitationPreview;
  myEmail: string;
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const accept = useMutation(trpc.invitation.accept.mutationOptions({ onSuccess: (w) => router.push(`/w/${w.slug}`) }));
  if (preview.alreadyMember) {
    return (
      <Link href={`/w/${preview.workspace.slug}`} className="text-sm text-brand-600 underline">
        You are already a member. Open {preview.workspace.name}
      </Link>
    );
  }
  if (preview.status !== "pending") {
    return (
      <p className="text-sm text-zinc-600">
        This invitation {preview.status === "accepted" ? "has already been used" : `is ${preview.status}`}. Ask an admin
        for a new one.
      </p>
    );
  }
  if (preview.email.toLowerCase() !== myEmail.toLowerCase()) {
    return (
      <div className="space-y-3 text-sm">
        <p>
          This invitation is for <strong>{preview.email}</strong>, but you are signed in as <strong>{myEmail}</strong>.
        </p>
        <form action={signOutAction}>
          <Button type="submit" variant="secondary">
            Sign out and switch account
          </Button>
        </form>
      </div>
    );
  }
  return (
    <div className="space-y-3">
      <Button className="w-full" loading={accept.isPending} onClick={() => accept.mutate({ token })}>
        Join {preview.workspace.name}
      </Button>
      <FormError error={accept.error} />
    </div>
  );
}
