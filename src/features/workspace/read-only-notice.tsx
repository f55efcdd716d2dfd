"use client";
import { useWorkspace } from "./workspace-context";
import { ROLE_LABEL } from "./roles-copy";

/**
 * Said wherever someone can look but not change (a Viewer on the board and the
 * task page), so missing controls read as a role, not as a broken page.
 */
export function ReadOnlyNotice({ what }: { what: string }) {
  const { role } = useWorkspace();
  const sentence = `${ROLE_LABEL[role]}s can open and read ${what}, but not change them.`;
  return (
    <p
      role="note"
      data-testid="read-only"
      title={sentence}
      className="inline-flex shrink-0 items-center gap-1.5 rounded-full border border-zinc-300 bg-zinc-100 px-2.5 py-0.5 text-xs font-medium text-zinc-700"
    >
      <svg aria-hidden viewBox="0 0 16 16" className="h-3 w-3" fill="currentColor">
        <path d="M5 7V5a3 3 0 1 1 6 0v2h.5A1.5 1.5 0 0 1 13 8.5v5a1.5 1.5 0 0 1-1.5 1.5h-7A1.5 1.5 0 0 1 3 13.5v-5A1.5 1.5 0 0 1 4.5 7H5Zm1.5 0h3V5a1.5 1.5 0 1 0-3 0v2Z" />
      </svg>
      Read-only
      <span className="font-normal text-zinc-600" aria-hidden>
        · {ROLE_LABEL[role]}
      </span>
      <span className="sr-only">. {sentence}</span>
    </p>
  );
}
