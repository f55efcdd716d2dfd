"use client";
import { useEffect, useRef } from "react";
import { Button } from "@/components/ui/button";
import { CopyButton, selectContents } from "@/components/ui/copy-button";
import { Input } from "@/components/ui/field";
import type { CreatedApiKey } from "@/shared/schemas/api-key";
import { useWorkspace } from "@/features/workspace/workspace-context";

/** A ready-to-run request with the new key: listing projects over REST from this very server. */
function curlExample(secret: string, slug: string): string {
  return `curl -H "Authorization: Bearer ${secret}" \\\n  ${window.location.origin}/api/v1/workspaces/${slug}/projects`;
}

/**
 * The new key's secret, shown this once (only its hash is stored), with a copy button and a curl
 * example. A panel on the page rather than a modal: a stray click or Escape cannot throw it away.
 */
export function NewKeyPanel({ created, onDone }: { created: CreatedApiKey; onDone: () => void }) {
  const { slug } = useWorkspace();
  const secretRef = useRef<HTMLInputElement>(null);
  const commandRef = useRef<HTMLPreElement>(null);
  const command = curlExample(created.secret, slug);
  // Straight to the secret: focused and selected, ready to copy (and read out to screen readers).
  useEffect(() => selectContents(secretRef.current), [created.secret]);
  return (
    <section
      aria-labelledby="new-key-heading"
      data-testid="new-api-key"
      className="space-y-4 rounded-lg border border-emerald-300 bg-emerald-50/60 p-4"
    >
      <div>
        <h2 id="new-key-heading" className="text-sm font-semibold text-emerald-900">
          Key “{created.key.name}” created
        </h2>
        <p className="mt-1 rounded-md bg-amber-100 px-2 py-1.5 text-sm text-amber-950" role="note">
          <strong>Copy it now: you won&apos;t see it again.</strong> Lanes keeps only a fingerprint of the key, so if
          you lose it, revoke it and create another.
        </p>
      </div>
      <div className="space-y-1">
        <label htmlFor="new-key-secret" className="block text-sm font-medium text-zinc-700">
          Your new API key
        </label>
        <div className="flex items-center gap-2">
          <Input
            ref={secretRef}
            id="new-key-secret"
            readOnly
            value={created.secret}
            spellCheck={false}
            autoComplete="off"
            className="font-mono text-xs"
            onFocus={(e) => e.currentTarget.select()}
          />
          <CopyButton text={created.secret} what="key" target={secretRef} />
        </div>
      </div>
      <div className="space-y-1">
        <div className="flex items-end justify-between gap-2">
          <p id="new-key-example" className="text-sm font-medium text-zinc-700">
            Try it: list this workspace&apos;s projects
          </p>
          <CopyButton text={command.replace(" \\\n  ", " ")} what="command" target={commandRef} />
        </div>
        <pre
          ref={commandRef}
          aria-labelledby="new-key-example"
          data-testid="curl-example"
          className="overflow-x-auto rounded-md bg-zinc-900 p-3 font-mono text-xs leading-5 break-all whitespace-pre-wrap text-zinc-100"
        >
          <code>{command}</code>
        </pre>
        <p className="text-xs text-zinc-600">
          The key works on every endpoint of the REST API (<code>/api/v1</code>) and tRPC (<code>/api/trpc</code>), in
          this workspace only. All endpoints, with examples:{" "}
          <a href="/docs/api" target="_blank" rel="noopener" className="text-brand-600 underline">
            API reference<span className="sr-only"> (opens in a new tab)</span>
          </a>
          .
        </p>
      </div>
      <div className="flex justify-end">
        <Button onClick={onDone}>Done</Button>
      </div>
    </section>
  );
}
