"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/field";
import { FormError } from "@/components/form-error";
import { useTRPC } from "@/trpc/client";
import { fieldMessages } from "@/trpc/errors";
import { API_KEY_SCOPES, keyRole, scopesUpTo, SCOPE_ROLES, type ApiKeyScope } from "@/shared/roles";
import { MAX_KEY_LIFETIME_DAYS, MAX_KEY_RATE_LIMIT, type CreatedApiKey } from "@/shared/schemas/api-key";
import { useWorkspace } from "@/features/workspace/workspace-context";
import { SCOPE_LABEL, scopeSummary } from "./api-keys-copy";

const SHOWN_FIELDS = ["name", "scope", "expiresInDays", "rateLimitPerMinute"];

/**
 * An optional whole-number field as typed: empty → null; a number → sent as is (the server
 * checks the range and says so next to the field); anything else → refused here, since the
 * API only takes numbers.
 */
function parseOptionalNumber(text: string): { value: number | null } | { error: string } {
  const trimmed = text.trim();
  if (trimmed === "") return { value: null };
  const value = Number(trimmed);
  return Number.isFinite(value) ? { value } : { error: "Enter a number, or leave it empty" };
}

function ScopeChoice({
  scope,
  onChange,
  errors,
}: {
  scope: ApiKeyScope;
  onChange: (scope: ApiKeyScope) => void;
  errors: string[] | undefined;
}) {
  const { role } = useWorkspace();
  const id = useId();
  return (
    <fieldset className="space-y-1" aria-describedby={`${id}-note`}>
      <legend className="mb-1 block text-sm font-medium text-zinc-700">Scope</legend>
      <div className="grid gap-2 md:grid-cols-3">
        {API_KEY_SCOPES.map((s) => {
          // The same cap the server applies: never above the creator's own role.
          const allowed = keyRole(scopesUpTo(s), role) === SCOPE_ROLES[s];
          return (
            <label
              key={s}
              className="flex cursor-pointer items-start gap-2 rounded-md border border-zinc-200 px-3 py-2 text-sm has-checked:border-brand-500 has-checked:bg-brand-50/40 has-disabled:cursor-not-allowed has-disabled:opacity-60"
            >
              <input
                type="radio"
                name="scope"
                value={s}
                checked={scope === s}
                disabled={!allowed}
                onChange={() => onChange(s)}
                // Named by its label alone ("Write"); what it allows is its description.
                aria-labelledby={`${id}-${s}`}
                aria-describedby={`${id}-${s}-summary`}
                className="mt-0.5 accent-brand-600"
              />
              <span>
                <span id={`${id}-${s}`} className="font-medium">
                  {SCOPE_LABEL[s]}
                </span>
                <span id={`${id}-${s}-summary`} className="block text-xs text-zinc-600">
                  {scopeSummary(s)}
                </span>
              </span>
            </label>
          );
        })}
      </div>
      {errors?.length ? (
        <p role="alert" className="text-xs text-red-600">
          {errors.join(" ")}
        </p>
      ) : null}
      <p id={`${id}-note`} className="text-xs text-zinc-500">
        A key acts as you and never has more access than your own role, now or later: if your role is lowered, so is the
        key&apos;s; if you leave the workspace, it stops working. No key can manage API keys.
      </p>
    </fieldset>
  );
}

/** Name, scope, optional expiry and rate limit; the new key (with its secret) goes to `onCreated`. */
export function CreateKeyForm({ onCreated }: { onCreated: (created: CreatedApiKey) => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { slug } = useWorkspace();
  const [name, setName] = useState("");
  const [scope, setScope] = useState<ApiKeyScope>("read");
  const [expiresInDays, setExpiresInDays] = useState("");
  const [rateLimit, setRateLimit] = useState("");
  const [clientErrors, setClientErrors] = useState<Record<string, string[]>>({});
  const create = useMutation(
    trpc.apiKey.create.mutationOptions({
      onSuccess: async (created) => {
        setName("");
        setExpiresInDays("");
        setRateLimit("");
        onCreated(created);
        await queryClient.invalidateQueries({ queryKey: trpc.apiKey.list.queryKey() });
      },
    }),
  );
  const errorsOf = (field: string) => clientErrors[field] ?? fieldMessages(create.error, field);

  function submit(event: React.FormEvent) {
    event.preventDefault();
    const expiry = parseOptionalNumber(expiresInDays);
    const limit = parseOptionalNumber(rateLimit);
    const errors: Record<string, string[]> = {};
    if ("error" in expiry) errors.expiresInDays = [expiry.error];
    if ("error" in limit) errors.rateLimitPerMinute = [limit.error];
    setClientErrors(errors);
    if ("error" in expiry || "error" in limit) return;
    create.mutate({
      workspaceSlug: slug,
      name,
      scope,
      expiresInDays: expiry.value,
      rateLimitPerMinute: limit.value,
    });
  }

  return (
    <form onSubmit={submit} noValidate aria-label="Create an API key" className="space-y-4">
      <div className="grid gap-4 md:grid-cols-[minmax(0,1fr)_12rem_12rem]">
        <Field label="Name" errors={errorsOf("name")} hint="What uses the key, e.g. “CI” or “Zapier”.">
          {(a11y) => (
            <Input {...a11y} value={name} maxLength={80} placeholder="CI" onChange={(e) => setName(e.target.value)} />
          )}
        </Field>
        <Field
          label="Expires after (days)"
          errors={errorsOf("expiresInDays")}
          hint={`Optional, 1–${MAX_KEY_LIFETIME_DAYS}. Empty: never.`}
        >
          {(a11y) => (
            <Input
              {...a11y}
              inputMode="numeric"
              value={expiresInDays}
              placeholder="Never"
              onChange={(e) => setExpiresInDays(e.target.value)}
            />
          )}
        </Field>
        <Field
          label="Requests per minute"
          errors={errorsOf("rateLimitPerMinute")}
          hint={`Optional, 1–${MAX_KEY_RATE_LIMIT.toLocaleString("en")}. Empty: the default.`}
        >
          {(a11y) => (
            <Input
              {...a11y}
              inputMode="numeric"
              value={rateLimit}
              placeholder="Default"
              onChange={(e) => setRateLimit(e.target.value)}
            />
          )}
        </Field>
      </div>
      <ScopeChoice scope={scope} onChange={setScope} errors={errorsOf("scope")} />
      <div className="flex items-center gap-3">
        <Button type="submit" loading={create.isPending}>
          Create key
        </Button>
        <FormError error={create.error} shownFields={SHOWN_FIELDS} />
      </div>
    </form>
  );
}
