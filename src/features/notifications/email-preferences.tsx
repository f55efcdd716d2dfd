"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { toast } from "sonner";
import { useTRPC } from "@/trpc/client";
import { messageOf } from "@/trpc/errors";
import type { EmailPreferences as Preferences } from "@/shared/schemas/notification";

const CHOICES: Array<{ field: keyof Preferences; label: string }> = [
  { field: "emailOnMention", label: "Mentions" },
  { field: "emailOnAssignment", label: "Assignments" },
  { field: "emailOnDueSoon", label: "Due soon (daily)" },
];

/** "Also email me about": one person's choice, for every workspace (in-app notifications stay on). */
export function EmailPreferences() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const preferences = useQuery(trpc.notification.emailPreferences.queryOptions());
  // What was clicked: the box follows the click at once (kept once saved: it is then the saved value).
  const [clicked, setClicked] = useState<Partial<Preferences>>({});
  const save = useMutation(
    trpc.notification.setEmailPreferences.mutationOptions({
      onSuccess: (saved) => queryClient.setQueryData(trpc.notification.emailPreferences.queryKey(), saved),
      // Refused: the box goes back to what is saved, and the person is told why.
      onError: (error, change) => {
        toast.error(messageOf(error));
        setClicked((current) => {
          const rest = { ...current };
          for (const field of Object.keys(change) as Array<keyof Preferences>) delete rest[field];
          return rest;
        });
      },
    }),
  );
  if (!preferences.data) return null;
  const saved = preferences.data;
  return (
    <fieldset className="flex flex-wrap items-center gap-x-3 gap-y-1 border-t border-zinc-100 px-3 py-2 text-xs text-zinc-600">
      <legend className="sr-only">Also email me about</legend>
      <span aria-hidden className="w-full">
        Also email me about:
      </span>
      {CHOICES.map(({ field, label }) => (
        <label key={field} className="inline-flex items-center gap-1">
          <input
            type="checkbox"
            checked={clicked[field] ?? saved[field]}
            onChange={(e) => {
              const change = { [field]: e.target.checked };
              setClicked((current) => ({ ...current, ...change }));
              save.mutate(change);
            }}
          />
          {label}
        </label>
      ))}
    </fieldset>
  );
}
