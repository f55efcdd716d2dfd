"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/field";
import { FormError } from "@/components/form-error";
import { useTRPC } from "@/trpc/client";
import { fieldMessages } from "@/trpc/errors";
import { EVENT_TYPES, type EventType } from "@/shared/schemas/events";
import { useWorkspace } from "@/features/workspace/workspace-context";

const SHOWN_FIELDS = ["url", "description", "events"];

export type CreatedWebhook = { url: string; secret: string };

/** The event types grouped by what they are about, for the checkboxes. */
const GROUPS = [...new Set(EVENT_TYPES.map((t) => t.slice(0, t.indexOf("."))))].map((entity) => ({
  entity,
  types: EVENT_TYPES.filter((t) => t.startsWith(`${entity}.`)),
}));

/** URL, description and events; the new webhook's secret goes to `onCreated`, to be shown once. */
export function CreateWebhookForm({ onCreated }: { onCreated: (created: CreatedWebhook) => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { slug } = useWorkspace();
  const [url, setUrl] = useState("");
  const [description, setDescription] = useState("");
  const [all, setAll] = useState(true);
  const [chosen, setChosen] = useState<Set<EventType>>(new Set(["task.created", "task.updated"]));
  const create = useMutation(
    trpc.webhook.create.mutationOptions({
      onSuccess: async (created) => {
        setUrl("");
        setDescription("");
        onCreated({ url: created.webhook.url, secret: created.secret });
        await queryClient.invalidateQueries({ queryKey: trpc.webhook.list.queryKey() });
      },
    }),
  );

  function toggle(type: EventType) {
    setChosen((current) => {
      const next = new Set(current);
      if (next.has(type)) next.delete(type);
      else next.add(type);
      return next;
    });
  }

  function submit(event: React.FormEvent) {
    event.preventDefault();
    create.mutate({ workspaceSlug: slug, url, description, events: all ? ["*"] : [...chosen] });
  }

  const eventErrors = fieldMessages(create.error, "events");
  return (
    <form onSubmit={submit} noValidate aria-label="Add a webhook" className="space-y-4">
      <div className="grid gap-4 md:grid-cols-[minmax(0,2fr)_minmax(0,1fr)]">
        <Field
          label="Payload URL"
          errors={fieldMessages(create.error, "url")}
          hint="Lanes POSTs each event here as JSON."
        >
          {(a11y) => (
            <Input
              {...a11y}
              type="url"
              value={url}
              placeholder="https://example.com/lanes-events"
              onChange={(e) => setUrl(e.target.value)}
            />
          )}
        </Field>
        <Field label="Description" errors={fieldMessages(create.error, "description")} hint="Optional.">
          {(a11y) => (
            <Input {...a11y} value={description} maxLength={200} onChange={(e) => setDescription(e.target.value)} />
          )}
        </Field>
      </div>
      <fieldset className="space-y-2">
        <legend className="mb-1 block text-sm font-medium text-zinc-700">Events</legend>
        <label className="flex items-center gap-2 text-sm">
          <input type="radio" name="scope" checked={all} onChange={() => setAll(true)} className="accent-brand-600" />
          Everything, including event types added later
        </label>
        <label className="flex items-center gap-2 text-sm">
          <input type="radio" name="scope" checked={!all} onChange={() => setAll(false)} className="accent-brand-600" />
          Only these:
        </label>
        {!all ? (
          <div className="grid gap-x-6 gap-y-3 pl-6 sm:grid-cols-2 lg:grid-cols-4">
            {GROUPS.map((group) => (
              <div key={group.entity} className="space-y-1">
                {group.types.map((type) => (
                  <label key={type} className="flex items-center gap-2 font-mono text-xs">
                    <input
                      type="checkbox"
                      checked={chosen.has(type)}
                      onChange={() => toggle(type)}
                      className="accent-brand-600"
                    />
                    {type}
                  </label>
                ))}
              </div>
            ))}
          </div>
        ) : null}
        {eventErrors?.length ? (
          <p role="alert" className="text-xs text-red-600">
            {eventErrors.join(" ")}
          </p>
        ) : null}
      </fieldset>
      <div className="flex items-center gap-3">
        <Button type="submit" loading={create.isPending}>
          Add webhook
        </Button>
        <FormError error={create.error} shownFields={SHOWN_FIELDS} />
      </div>
    </form>
  );
}
