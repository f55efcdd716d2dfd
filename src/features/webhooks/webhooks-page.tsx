"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRef, useState } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";
import { Input } from "@/components/ui/field";
import { Badge, EmptyState, ErrorState, LoadingState } from "@/components/ui/states";
import { useTRPC } from "@/trpc/client";
import { messageOf } from "@/trpc/errors";
import type { WebhookDto } from "@/shared/schemas/webhook";
import { PageHeader } from "@/features/workspace/app-shell";
import { useWorkspace } from "@/features/workspace/workspace-context";
import { CreateWebhookForm, type CreatedWebhook } from "./create-webhook-form";
import { DeliveryLog } from "./delivery-log";

/** The signing secret, shown once (Lanes stores it encrypted and never shows it again). */
function SecretPanel({ created, onDone }: { created: CreatedWebhook; onDone: () => void }) {
  const ref = useRef<HTMLInputElement>(null);
  return (
    <section
      aria-labelledby="webhook-secret-heading"
      data-testid="webhook-secret"
      className="space-y-3 rounded-lg border border-emerald-300 bg-emerald-50/60 p-4"
    >
      <h2 id="webhook-secret-heading" className="text-sm font-semibold text-emerald-900">
        Signing secret for {created.url}
      </h2>
      <p className="rounded-md bg-amber-100 px-2 py-1.5 text-sm text-amber-950" role="note">
        <strong>Copy it now: you won&apos;t see it again.</strong> Your receiver uses it to check that each request
        comes from Lanes and was not changed or replayed.
      </p>
      <div className="flex items-center gap-2">
        <Input ref={ref} aria-label="Signing secret" readOnly value={created.secret} className="font-mono text-xs" />
        <CopyButton text={created.secret} what="secret" target={ref} />
      </div>
      <p className="text-sm text-zinc-700">
        Verify each request with any Standard Webhooks library, on the raw body, before parsing it. In Node:
      </p>
      <pre className="overflow-x-auto rounded-md bg-zinc-900 p-3 font-mono text-xs text-zinc-100">
        {`import { Webhook } from "standardwebhooks";\n\nconst event = new Webhook(process.env.LANES_WEBHOOK_SECRET)\n  .verify(rawBody, request.headers); // throws if forged, altered or older than 5 minutes\n// deduplicate by request.headers["webhook-id"]`}
      </pre>
      <Button variant="secondary" size="sm" onClick={onDone}>
        Done
      </Button>
    </section>
  );
}

function WebhookCard({ webhook, onSecret }: { webhook: WebhookDto; onSecret: (created: CreatedWebhook) => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { slug, can } = useWorkspace();
  const [showLog, setShowLog] = useState(false);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.webhook.list.queryKey() });
  const update = useMutation(
    trpc.webhook.update.mutationOptions({ onSuccess: refresh, onError: (e) => toast.error(messageOf(e)) }),
  );
  const rotate = useMutation(
    trpc.webhook.rotateSecret.mutationOptions({
      onSuccess: (created) => onSecret({ url: created.webhook.url, secret: created.secret }),
      onError: (e) => toast.error(messageOf(e)),
    }),
  );
  const remove = useMutation(
    trpc.webhook.delete.mutationOptions({ onSuccess: refresh, onError: (e) => toast.error(messageOf(e)) }),
  );
  const manage = can("webhook.manage");
  return (
    <li className="space-y-3 rounded-lg border border-zinc-200 p-4" data-testid="webhook" data-url={webhook.url}>
      <div className="flex flex-wrap items-start gap-3">
        <div className="min-w-0 flex-1">
          <p className="truncate font-mono text-sm">{webhook.url}</p>
          {webhook.description ? <p className="text-sm text-zinc-600">{webhook.description}</p> : null}
          <p className="mt-1 text-xs text-zinc-500">
            {webhook.events.includes("*") ? "Every event" : webhook.events.join(", ")}
          </p>
        </div>
        {webhook.enabled ? (
          <Badge className="bg-emerald-100 text-emerald-900">On</Badge>
        ) : (
          <Badge className="bg-zinc-200 text-zinc-700">Off</Badge>
        )}
      </div>
      {webhook.disabledReason ? (
        <p role="status" className="rounded-md bg-red-50 px-2 py-1.5 text-sm text-red-800">
          {webhook.disabledReason}
        </p>
      ) : null}
      <div className="flex flex-wrap gap-2">
        <Button size="sm" variant="secondary" aria-expanded={showLog} onClick={() => setShowLog((s) => !s)}>
          {showLog ? "Hide deliveries" : "Deliveries"}
        </Button>
        {manage ? (
          <>
            <Button
              size="sm"
              variant="secondary"
              loading={update.isPending}
              onClick={() => update.mutate({ workspaceSlug: slug, webhookId: webhook.id, enabled: !webhook.enabled })}
            >
              {webhook.enabled ? "Turn off" : "Turn on"}
            </Button>
            <Button
              size="sm"
              variant="secondary"
              loading={rotate.isPending}
              onClick={() => {
                if (window.confirm("Make a new signing secret? The current one stops working at once."))
                  rotate.mutate({ workspaceSlug: slug, webhookId: webhook.id });
              }}
            >
              New secret
            </Button>
            <Button
              size="sm"
              variant="ghost"
              loading={remove.isPending}
              onClick={() => {
                if (window.confirm(`Delete the webhook to ${webhook.url} and its delivery log?`))
                  remove.mutate({ workspaceSlug: slug, webhookId: webhook.id });
              }}
            >
              Delete
            </Button>
          </>
        ) : null}
      </div>
      {showLog ? <DeliveryLog webhookId={webhook.id} /> : null}
    </li>
  );
}

function WebhookList({ onSecret }: { onSecret: (created: CreatedWebhook) => void }) {
  const trpc = useTRPC();
  const { slug } = useWorkspace();
  const list = useQuery(trpc.webhook.list.queryOptions({ workspaceSlug: slug }));
  if (list.isPending) return <LoadingState label="Loading webhooks…" />;
  if (list.isError) return <ErrorState message={messageOf(list.error)} onRetry={() => void list.refetch()} />;
  if (list.data.length === 0)
    return <EmptyState title="No webhooks yet">Add one to have Lanes tell another service about changes.</EmptyState>;
  return (
    <ul className="space-y-3">
      {list.data.map((webhook) => (
        <WebhookCard key={webhook.id} webhook={webhook} onSecret={onSecret} />
      ))}
    </ul>
  );
}

/** Settings › Webhooks: URLs Lanes POSTs the workspace's events to, signed; their delivery logs. */
export function WebhooksPage() {
  const { can } = useWorkspace();
  const [secret, setSecret] = useState<CreatedWebhook | null>(null);
  return (
    <>
      <PageHeader title="Webhooks" />
      <div className="mx-auto max-w-5xl space-y-8 p-6">
        <p className="max-w-3xl text-sm text-zinc-600">
          Lanes POSTs each event you choose to your URL within moments of the change, signed as{" "}
          <a href="https://www.standardwebhooks.com/" className="text-brand-600 underline">
            Standard Webhooks
          </a>{" "}
          specifies. A delivery that fails is retried for about six hours; a webhook whose deliveries keep failing is
          turned off and its creator emailed.
        </p>
        {can("webhook.read") ? (
          <>
            {secret ? <SecretPanel created={secret} onDone={() => setSecret(null)} /> : null}
            {can("webhook.manage") ? (
              <section aria-labelledby="add-webhook-heading" className="space-y-3">
                <h2 id="add-webhook-heading" className="text-sm font-semibold">
                  Add a webhook
                </h2>
                <CreateWebhookForm onCreated={setSecret} />
              </section>
            ) : null}
            <section aria-labelledby="webhooks-heading" className="space-y-2">
              <h2 id="webhooks-heading" className="text-sm font-semibold">
                Webhooks
              </h2>
              <WebhookList onSecret={setSecret} />
            </section>
          </>
        ) : (
          <p className="rounded-md bg-zinc-50 p-3 text-sm text-zinc-600">
            Only owners and admins can see and manage this workspace&apos;s webhooks.
          </p>
        )}
      </div>
    </>
  );
}
