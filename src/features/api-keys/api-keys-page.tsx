"use client";
import { useState } from "react";
import type { CreatedApiKey } from "@/shared/schemas/api-key";
import { PageHeader } from "@/features/workspace/app-shell";
import { useWorkspace } from "@/features/workspace/workspace-context";
import { CreateKeyForm } from "./create-key-form";
import { KeysTable } from "./keys-table";
import { NewKeyPanel } from "./new-key-panel";

/** What everyone else sees here: a role, not a broken page (the list itself is never requested). */
function NotAllowed() {
  return (
    <p className="rounded-md bg-zinc-50 p-3 text-sm text-zinc-600" data-testid="api-keys-not-allowed">
      Only owners and admins can see and manage this workspace&apos;s API keys. Ask one of them if a script or
      integration needs one.
    </p>
  );
}

/** Settings › API keys: create keys for scripts and integrations, see who made which, revoke them. */
export function ApiKeysPage() {
  const { can } = useWorkspace();
  const [created, setCreated] = useState<CreatedApiKey | null>(null);
  return (
    <>
      <PageHeader title="API keys" />
      <div className="mx-auto max-w-5xl space-y-8 p-6">
        <p className="max-w-3xl text-sm text-zinc-600">
          Keys let scripts and integrations call Lanes&apos; API in this workspace, acting as the person who created
          them. Send one as <code className="rounded bg-zinc-100 px-1 font-mono text-xs">Authorization: Bearer …</code>;
          see the{" "}
          <a href="/docs/api" className="text-brand-600 underline">
            API reference
          </a>
          .
        </p>
        {can("apiKey.read") ? (
          <>
            {created ? <NewKeyPanel created={created} onDone={() => setCreated(null)} /> : null}
            {can("apiKey.manage") ? (
              <section aria-labelledby="create-key-heading" className="space-y-3">
                <h2 id="create-key-heading" className="text-sm font-semibold">
                  Create a key
                </h2>
                <CreateKeyForm onCreated={setCreated} />
              </section>
            ) : null}
            <section aria-labelledby="keys-heading" className="space-y-2">
              <h2 id="keys-heading" className="text-sm font-semibold">
                Keys
              </h2>
              <KeysTable />
            </section>
          </>
        ) : (
          <NotAllowed />
        )}
      </div>
    </>
  );
}
