"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/field";
import { useTRPC } from "@/trpc/client";
import { fieldErrorsOf, messageOf } from "@/trpc/errors";
import { PageHeader } from "./app-shell";
import { useWorkspace } from "./workspace-context";
import { LabelsSection } from "@/features/labels/labels-section";
import { FormError } from "@/components/form-error";

export function SettingsPage() {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const { slug, name: currentName, can } = useWorkspace();
  const [name, setName] = useState(currentName);
  const rename = useMutation(
    trpc.workspace.rename.mutationOptions({
      onSuccess: async () => {
        toast.success("Workspace renamed");
        await queryClient.invalidateQueries({ queryKey: trpc.workspace.pathKey() });
        router.refresh();
      },
    }),
  );
  const leave = useMutation(
    trpc.member.leave.mutationOptions({
      onSuccess: () => {
        router.push("/");
        router.refresh();
      },
      onError: (e) => toast.error(messageOf(e)),
    }),
  );
  return (
    <>
      <PageHeader title="Settings" />
      <div className="mx-auto max-w-xl space-y-10 p-6">
        <section className="space-y-3">
          <h2 className="text-sm font-semibold">Workspace</h2>
          <form
            className="flex items-start gap-2"
            onSubmit={(e) => {
              e.preventDefault();
              rename.mutate({ workspaceSlug: slug, name });
            }}
          >
            <div className="flex-1">
              <Field
                label="Name"
                errors={fieldErrorsOf(rename.error).name}
                hint={can("workspace.update") ? undefined : "Only owners and admins can rename the workspace."}
              >
                {(a11y) => (
                  <Input
                    {...a11y}
                    value={name}
                    disabled={!can("workspace.update")}
                    onChange={(e) => setName(e.target.value)}
                  />
                )}
              </Field>
            </div>
            {can("workspace.update") ? (
              <Button type="submit" className="mt-6" loading={rename.isPending}>
                Save
              </Button>
            ) : null}
          </form>
          <FormError error={rename.error} />
          <p className="text-xs text-zinc-500">Address: /w/{slug}</p>
        </section>
        {can("apiKey.read") ? (
          <section className="space-y-2" aria-labelledby="api-keys-heading">
            <h2 id="api-keys-heading" className="text-sm font-semibold">
              API keys
            </h2>
            <p className="text-sm text-zinc-600">
              For scripts and integrations that call Lanes&apos; API.{" "}
              <Link href={`/w/${slug}/settings/api-keys`} className="text-brand-600 underline">
                Manage API keys
              </Link>
            </p>
          </section>
        ) : null}
        <LabelsSection />
        <section className="space-y-2 rounded-lg border border-red-200 p-4">
          <h2 className="text-sm font-semibold text-red-700">Leave workspace</h2>
          <p className="text-sm text-zinc-600">
            You will lose access until someone invites you again. The last owner cannot leave.
          </p>
          <Button
            variant="danger"
            loading={leave.isPending}
            onClick={() => {
              if (confirm("Leave this workspace?")) leave.mutate({ workspaceSlug: slug });
            }}
          >
            Leave workspace
          </Button>
        </section>
      </div>
    </>
  );
}
