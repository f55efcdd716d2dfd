"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, useSyncExternalStore } from "react";
import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/field";
import { useTRPC } from "@/trpc/client";
import { fieldErrorsOf } from "@/trpc/errors";
import { createWorkspaceInput } from "@/shared/schemas/workspace";
import { issuesByField } from "@/shared/schemas/issues";
import { FormError } from "@/components/form-error";

function slugify(name: string): string {
  return name
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 48);
}

/**
 * What the address field shows while someone types: the address as it will be
 * saved (the schema lowercases it), spaces as hyphens. Anything else invalid is
 * left for the schema to name, so typing is never silently eaten.
 */
export function asTypedSlug(input: string): string {
  return input.toLowerCase().replace(/\s/g, "-");
}

const noSubscription = () => () => {};

export function CreateWorkspaceForm() {
  // The host is only known in the browser; the server renders the path alone.
  const host = useSyncExternalStore(
    noSubscription,
    () => window.location.host,
    () => "",
  );
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [name, setName] = useState("");
  const [slug, setSlug] = useState("");
  const [slugEdited, setSlugEdited] = useState(false);
  const [clientErrors, setClientErrors] = useState<Record<string, string[]>>({});
  const create = useMutation(
    trpc.workspace.create.mutationOptions({
      onSuccess: async (workspace) => {
        await queryClient.invalidateQueries({ queryKey: trpc.workspace.list.queryKey() });
        router.push(`/w/${workspace.slug}`);
      },
    }),
  );
  const errors = { ...fieldErrorsOf(create.error), ...clientErrors };

  function submit(event: React.FormEvent) {
    event.preventDefault();
    // The same schema the server uses: instant feedback, one source of truth.
    const parsed = createWorkspaceInput.safeParse({ name, slug });
    if (!parsed.success) return setClientErrors(issuesByField(parsed.error.issues));
    setClientErrors({});
    create.mutate(parsed.data);
  }

  return (
    <form onSubmit={submit} className="space-y-3" noValidate>
      <Field label="Workspace name" errors={errors.name}>
        {(a11y) => (
          <Input
            {...a11y}
            value={name}
            autoFocus
            placeholder="Acme Design"
            onChange={(e) => {
              setName(e.target.value);
              if (!slugEdited) setSlug(slugify(e.target.value));
            }}
          />
        )}
      </Field>
      <Field
        label="Address"
        errors={errors.slug}
        hint={
          <>
            Your workspace will live at{" "}
            <span className="break-all font-medium text-zinc-700">{`${host}/w/${slug || "your-team"}`}</span>
          </>
        }
      >
        {(a11y) => (
          <Input
            {...a11y}
            value={slug}
            placeholder="acme-design"
            autoCapitalize="none"
            autoComplete="off"
            spellCheck={false}
            onChange={(e) => {
              setSlugEdited(true);
              setSlug(asTypedSlug(e.target.value));
            }}
          />
        )}
      </Field>
      <FormError error={create.error} />
      <Button type="submit" className="w-full" loading={create.isPending}>
        Create workspace
      </Button>
    </form>
  );
}
