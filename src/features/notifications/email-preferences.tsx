"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { toast } from "sonner";
import { useTRPC } from "@/trpc/client";
import { messageOf } from "@/trpc/errors";
import type { EmailPreferences as Preferences } from "@/shared/schemas/notification";

const CHOICES: Array<{ field: keyof Preferences; label: string }> = [
  { field: "emailOnMention", label: "Mentions" },
  { field: "emailOnAssignment", label: "Assignments" },
];

/** "Also email me about": one person's choice, for every workspace (in-app notifications stay on). */
export function EmailPreferences() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const preferences = useQuery(trpc.notification.emailPreferences.queryOptions());
  const key = trpc.notification.emailPreferences.queryKey();
  // Optimistic: the box changes as it is clicked; a refusal puts it back and says why.
  const save = useMutation(
    trpc.notification.setEmailPreferences.mutationOptions({
      onMutate: async (change) => {
        await queryClient.cancelQueries({ queryKey: key });
        const previous = queryClient.getQueryData(key);
        if (previous) queryClient.setQueryData(key, { ...previous, ...change });
        return { previous };
      },
      onSuccess: (saved) => queryClient.setQueryData(key, saved),
      onError: (error, _change, context) => {
        if (context?.previous) queryClient.setQueryData(key, context.previous);
        toast.error(messageOf(error));
      },
    }),
  );
  if (!preferences.data) return null;
  return (
    <fieldset className="flex flex-wrap items-center gap-x-3 gap-y-1 border-t border-zinc-100 px-3 py-2 text-xs text-zinc-600">
      <legend className="sr-only">Also email me about</legend>
      <span aria-hidden>Also email me about:</span>
      {CHOICES.map(({ field, label }) => (
        <label key={field} className="inline-flex items-center gap-1">
          <input
            type="checkbox"
            checked={preferences.data[field]}
            onChange={(e) => save.mutate({ [field]: e.target.checked })}
          />
          {label}
        </label>
      ))}
    </fieldset>
  );
}
