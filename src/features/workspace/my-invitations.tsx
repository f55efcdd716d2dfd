"use client";
/**
 * Invitations to the signed-in person's own address, in other workspaces: shown in the app (the
 * sidebar, and the page for someone with no workspace yet) with a Join button, so someone who
 * already has an account need not go through their mailbox. Live: an invitation arriving or being
 * withdrawn sends the person an inbox hint wherever they are.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { useTRPC } from "@/trpc/client";
import { messageOf } from "@/trpc/errors";
import { cn } from "@/components/ui/cn";
import { ROLE_LABEL } from "./roles-copy";

export function MyInvitations({ className }: { className?: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const invitations = useQuery(trpc.invitation.mine.queryOptions());
  const join = useMutation(
    trpc.invitation.acceptMine.mutationOptions({
      onSuccess: async (workspace) => {
        toast.success(`You joined ${workspace.name}`);
        await queryClient.invalidateQueries({ queryKey: trpc.invitation.mine.queryKey() });
        await queryClient.invalidateQueries({ queryKey: trpc.workspace.list.queryKey() });
        router.push(`/w/${workspace.slug}`);
        router.refresh();
      },
      onError: async (error) => {
        toast.error(messageOf(error));
        await queryClient.invalidateQueries({ queryKey: trpc.invitation.mine.queryKey() });
      },
    }),
  );
  const items = invitations.data ?? [];
  if (items.length === 0) return null;
  return (
    <section
      aria-label="Invitations for you"
      className={cn("rounded-lg border border-brand-100 bg-brand-50/60 p-2 text-xs", className)}
    >
      <h2 className="mb-1 font-medium text-zinc-800">Invitations for you</h2>
      <ul className="space-y-2">
        {items.map((inv) => (
          <li key={inv.id} data-testid="my-invitation" className="space-y-1">
            <p className="text-zinc-700">
              {inv.invitedBy} invited you to <strong>{inv.workspace.name}</strong> as{" "}
              {ROLE_LABEL[inv.role].toLowerCase()}
            </p>
            <Button
              size="sm"
              loading={join.isPending && join.variables?.invitationId === inv.id}
              onClick={() => join.mutate({ invitationId: inv.id })}
            >
              Join {inv.workspace.name}
            </Button>
          </li>
        ))}
      </ul>
    </section>
  );
}
