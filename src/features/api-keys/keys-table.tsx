"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { Dialog } from "@/components/ui/dialog";
import { Badge, EmptyState, ErrorState, LoadingState } from "@/components/ui/states";
import { useTRPC } from "@/trpc/client";
import { messageOf } from "@/trpc/errors";
import type { ApiKeyDto } from "@/shared/schemas/api-key";
import { shortDate, timeAgo } from "@/features/activity/describe";
import { useWorkspace } from "@/features/workspace/workspace-context";
import { SCOPE_LABEL, STATUS_LABEL, STATUS_STYLE } from "./api-keys-copy";

/** Revoking cannot be undone and breaks whatever uses the key, so it is confirmed first, naming both. */
function RevokeDialog({
  apiKey,
  saving,
  onConfirm,
  onCancel,
}: {
  apiKey: ApiKeyDto | null;
  saving: boolean;
  onConfirm: (key: ApiKeyDto) => void;
  onCancel: () => void;
}) {
  return (
    <Dialog open={apiKey !== null} onClose={onCancel} title={`Revoke “${apiKey?.name ?? ""}”?`}>
      {apiKey ? (
        <div className="space-y-3 text-sm" data-testid="revoke-key">
          <p>
            Anything using <code className="rounded bg-zinc-100 px-1 font-mono text-xs">{apiKey.prefix}…</code> stops
            working on its next request, with a 401. This cannot be undone; the key stays listed as revoked.
          </p>
          <div className="flex justify-end gap-2 pt-2">
            <Button variant="secondary" onClick={onCancel}>
              Cancel
            </Button>
            <Button variant="danger" loading={saving} onClick={() => onConfirm(apiKey)}>
              Revoke key
            </Button>
          </div>
        </div>
      ) : null}
    </Dialog>
  );
}

function StatusBadge({ apiKey }: { apiKey: ApiKeyDto }) {
  const when =
    apiKey.status === "revoked" && apiKey.revokedAt
      ? `Revoked ${apiKey.revokedAt.toLocaleString("en")}`
      : apiKey.status === "expired" && apiKey.expiresAt
        ? `Expired ${apiKey.expiresAt.toLocaleString("en")}`
        : undefined;
  return (
    <span title={when}>
      <Badge className={STATUS_STYLE[apiKey.status]}>{STATUS_LABEL[apiKey.status]}</Badge>
    </span>
  );
}

/** A date in short, with the full time on hover; `fallback` when there is none. */
function When({ date, fallback, relative = false }: { date: Date | null; fallback: string; relative?: boolean }) {
  if (!date) return <span className="text-zinc-500">{fallback}</span>;
  return (
    <time dateTime={date.toISOString()} title={date.toLocaleString("en")}>
      {relative ? timeAgo(date) : shortDate(date)}
    </time>
  );
}

function KeyRow({ apiKey, onRevoke }: { apiKey: ApiKeyDto; onRevoke: (key: ApiKeyDto) => void }) {
  const { can } = useWorkspace();
  const revoked = apiKey.status === "revoked";
  const creator = apiKey.createdBy.name ?? apiKey.createdBy.email;
  return (
    <tr
      className={cn("border-t border-zinc-100 align-top", revoked ? "text-zinc-500" : "text-zinc-800")}
      data-testid="api-key-row"
      data-prefix={apiKey.prefix}
      data-status={apiKey.status}
    >
      <td className="py-2 pr-3">
        <p className={cn("font-medium", revoked && "line-through")}>{apiKey.name}</p>
        {apiKey.rateLimitPerMinute !== null ? (
          <p className="text-xs text-zinc-500">{apiKey.rateLimitPerMinute.toLocaleString("en")} requests/min</p>
        ) : null}
      </td>
      <td className="py-2 pr-3 font-mono text-xs leading-5">{apiKey.prefix}</td>
      <td className="py-2 pr-3">
        <span className="flex flex-wrap gap-1">
          {apiKey.scopes.map((s) => (
            <Badge key={s} className={revoked ? "bg-zinc-50 text-zinc-500" : undefined}>
              {SCOPE_LABEL[s]}
            </Badge>
          ))}
        </span>
      </td>
      <td className="max-w-40 truncate py-2 pr-3" title={apiKey.createdBy.email}>
        {creator}
      </td>
      <td className="py-2 pr-3 whitespace-nowrap">
        <When date={apiKey.createdAt} fallback="" />
      </td>
      <td className="py-2 pr-3 whitespace-nowrap">
        <When date={apiKey.lastUsedAt} fallback="never" relative />
      </td>
      <td className="py-2 pr-3 whitespace-nowrap">
        <When date={apiKey.expiresAt} fallback="never" />
      </td>
      <td className="py-2 pr-3">
        <StatusBadge apiKey={apiKey} />
      </td>
      <td className="py-1 text-right">
        {can("apiKey.manage") && (apiKey.status === "active" || apiKey.status === "creator_left") ? (
          <Button
            size="sm"
            variant="ghost"
            aria-label={`Revoke ${apiKey.name} (${apiKey.prefix})`}
            onClick={() => onRevoke(apiKey)}
          >
            Revoke
          </Button>
        ) : null}
      </td>
    </tr>
  );
}

const COLUMNS = ["Name", "Prefix", "Scopes", "Created by", "Created", "Last used", "Expires", "Status"];

/** Every key of the workspace, newest first; revoked ones stay, greyed. */
export function KeysTable() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { slug } = useWorkspace();
  const keys = useQuery(trpc.apiKey.list.queryOptions({ workspaceSlug: slug }));
  const [revoking, setRevoking] = useState<ApiKeyDto | null>(null);
  const revoke = useMutation(
    trpc.apiKey.revoke.mutationOptions({
      onSuccess: async (key) => {
        setRevoking(null);
        toast.success(`Revoked “${key.name}”`);
        await queryClient.invalidateQueries({ queryKey: trpc.apiKey.list.queryKey() });
      },
      onError: (e) => {
        setRevoking(null);
        toast.error(messageOf(e));
      },
    }),
  );
  if (keys.isPending) return <LoadingState />;
  if (keys.isError) return <ErrorState message={messageOf(keys.error)} onRetry={() => void keys.refetch()} />;
  if (keys.data.length === 0)
    return (
      <EmptyState title="No API keys yet">Create one above to call Lanes from scripts and integrations.</EmptyState>
    );
  return (
    <div className="overflow-x-auto rounded-lg border border-zinc-200">
      <table className="w-full text-sm">
        <caption className="sr-only">API keys of this workspace</caption>
        <thead className="bg-zinc-50 text-left text-xs font-medium text-zinc-500">
          <tr>
            {COLUMNS.map((c) => (
              <th key={c} scope="col" className="py-2 pr-3 font-medium first:pl-3">
                {c}
              </th>
            ))}
            <th scope="col" className="py-2 pr-3">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody className="[&_td:first-child]:pl-3 [&_td:last-child]:pr-2">
          {keys.data.map((k) => (
            <KeyRow key={k.id} apiKey={k} onRevoke={setRevoking} />
          ))}
        </tbody>
      </table>
      <RevokeDialog
        apiKey={revoking}
        saving={revoke.isPending}
        onCancel={() => setRevoking(null)}
        onConfirm={(key) => revoke.mutate({ workspaceSlug: slug, id: key.id })}
      />
    </div>
  );
}
