"use client";
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRef, useState } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Textarea } from "@/components/ui/field";
import { Avatar, ErrorState, LoadingState } from "@/components/ui/states";
import { useTRPC } from "@/trpc/client";
import { fieldErrorsOf, messageOf } from "@/trpc/errors";
import { useWorkspace } from "@/features/workspace/workspace-context";
import { Markdown } from "@/features/markdown/markdown";
import { timeAgo } from "@/features/activity/describe";
import type { CommentDto } from "@/shared/schemas/comment";
import { FormError } from "@/components/form-error";

/** A textarea that suggests members when the word being typed starts with "@". */
function MentionTextarea({
  value,
  onChange,
  ...rest
}: { value: string; onChange: (v: string) => void } & Omit<
  React.TextareaHTMLAttributes<HTMLTextAreaElement>,
  "value" | "onChange"
>) {
  const trpc = useTRPC();
  const { slug } = useWorkspace();
  const members = useQuery(trpc.member.list.queryOptions({ workspaceSlug: slug }));
  const ref = useRef<HTMLTextAreaElement>(null);
  const [caret, setCaret] = useState(0);
  const typed = /(?:^|\s)@([a-z0-9-]*)$/.exec(value.slice(0, caret));
  const prefix = typed?.[1] ?? null;
  const suggestions =
    prefix === null
      ? []
      : (members.data ?? [])
          .filter(
            (m) =>
              m.user.handle && (m.user.handle.startsWith(prefix) || (m.user.name ?? "").toLowerCase().includes(prefix)),
          )
          .slice(0, 5);
  const insert = (handle: string) => {
    const start = caret - (prefix?.length ?? 0);
    const next = `${value.slice(0, start)}${handle} ${value.slice(caret)}`;
    onChange(next);
    const pos = start + handle.length + 1;
    requestAnimationFrame(() => {
      ref.current?.focus();
      ref.current?.setSelectionRange(pos, pos);
      setCaret(pos);
    });
  };
  return (
    <div className="relative">
      <Textarea
        ref={ref}
        value={value}
        onChange={(e) => {
          onChange(e.target.value);
          setCaret(e.target.selectionStart);
        }}
        onSelect={(e) => setCaret(e.currentTarget.selectionStart)}
        onKeyDown={(e) => {
          if (suggestions.length && (e.key === "Tab" || e.key === "Enter") && !e.shiftKey) {
            e.preventDefault();
            insert(suggestions[0]!.user.handle!);
          }
        }}
        {...rest}
      />
      {suggestions.length ? (
        <ul
          role="listbox"
          aria-label="Mention a member"
          className="absolute z-10 mt-1 w-64 rounded-md border border-zinc-200 bg-white py-1 text-sm shadow-lg"
        >
          {suggestions.map((m) => (
            <li key={m.user.id} role="option" aria-selected={false}>
              <button
                type="button"
                className="flex w-full items-center gap-2 px-2 py-1 text-left hover:bg-zinc-100"
                onMouseDown={(e) => e.preventDefault()}
                onClick={() => insert(m.user.handle!)}
              >
                <Avatar name={m.user.name ?? m.user.email} size={18} /> {m.user.name ?? m.user.email}{" "}
                <span className="text-zinc-500">@{m.user.handle}</span>
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

function CommentItem({ comment, onChanged }: { comment: CommentDto; onChanged: () => Promise<unknown> }) {
  const trpc = useTRPC();
  const { slug, userId, can } = useWorkspace();
  const [draft, setDraft] = useState<string | null>(null);
  const update = useMutation(
    trpc.comment.update.mutationOptions({
      onSuccess: async () => {
        setDraft(null);
        await onChanged();
      },
      onError: (e) => toast.error(messageOf(e)),
    }),
  );
  const remove = useMutation(
    trpc.comment.delete.mutationOptions({ onSuccess: onChanged, onError: (e) => toast.error(messageOf(e)) }),
  );
  const mine = comment.author.id === userId;
  return (
    <li className="flex gap-3" data-testid="comment">
      <Avatar name={comment.author.name ?? comment.author.email} size={28} />
      <div className="min-w-0 flex-1 rounded-lg border border-zinc-200 bg-white px-3 py-2">
        <div className="flex items-baseline justify-between gap-2 text-xs text-zinc-500">
          <span>
            <span className="font-medium text-zinc-800">{comment.author.name ?? comment.author.email}</span> ·{" "}
            {timeAgo(comment.createdAt)}
            {comment.editedAt ? " · edited" : ""}
          </span>
          <span className="flex gap-1">
            {mine && can("comment.editOwn") && draft === null ? (
              <button type="button" className="hover:text-zinc-800" onClick={() => setDraft(comment.body)}>
                Edit
              </button>
            ) : null}
            {(mine && can("comment.deleteOwn")) || can("comment.deleteAny") ? (
              <button
                type="button"
                className="hover:text-red-700"
                onClick={() =>
                  confirm("Delete this comment?") && remove.mutate({ workspaceSlug: slug, commentId: comment.id })
                }
              >
                Delete
              </button>
            ) : null}
          </span>
        </div>
        {draft === null ? (
          <Markdown>{comment.body}</Markdown>
        ) : (
          <div className="mt-2 space-y-2">
            <MentionTextarea aria-label="Edit comment" rows={4} value={draft} onChange={setDraft} />
            <div className="flex gap-2">
              <Button
                size="sm"
                loading={update.isPending}
                onClick={() => update.mutate({ workspaceSlug: slug, commentId: comment.id, body: draft })}
              >
                Save
              </Button>
              <Button size="sm" variant="secondary" onClick={() => setDraft(null)}>
                Cancel
              </Button>
            </div>
          </div>
        )}
      </div>
    </li>
  );
}

export function Comments({ taskId }: { taskId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { slug, can } = useWorkspace();
  const [body, setBody] = useState("");
  const input = { workspaceSlug: slug, taskId, limit: 50 };
  const comments = useInfiniteQuery(
    trpc.comment.list.infiniteQueryOptions(input, { getNextPageParam: (p) => p.nextCursor ?? undefined }),
  );
  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.comment.list.pathKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.activity.pathKey() }),
    ]);
  const create = useMutation(
    trpc.comment.create.mutationOptions({
      onSuccess: async () => {
        setBody("");
        await refresh();
      },
    }),
  );
  const items = comments.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <section aria-labelledby="comments-heading" className="space-y-3">
      <h2 id="comments-heading" className="text-sm font-semibold">
        Comments
      </h2>
      {comments.isPending ? (
        <LoadingState />
      ) : comments.isError ? (
        <ErrorState message={messageOf(comments.error)} onRetry={() => void comments.refetch()} />
      ) : (
        <ul className="space-y-3">
          {items.map((c) => (
            <CommentItem key={c.id} comment={c} onChanged={refresh} />
          ))}
          {items.length === 0 ? <li className="text-sm text-zinc-500">No comments yet.</li> : null}
        </ul>
      )}
      {comments.hasNextPage ? (
        <Button
          size="sm"
          variant="ghost"
          loading={comments.isFetchingNextPage}
          onClick={() => void comments.fetchNextPage()}
        >
          Load more comments
        </Button>
      ) : null}
      {can("comment.create") ? (
        <form
          className="space-y-2"
          onSubmit={(e) => {
            e.preventDefault();
            create.mutate({ workspaceSlug: slug, taskId, body });
          }}
        >
          <MentionTextarea
            aria-label="Add a comment"
            rows={3}
            value={body}
            onChange={setBody}
            placeholder="Write a comment… Markdown and @mentions work."
          />
          {fieldErrorsOf(create.error).body ? (
            <p role="alert" className="text-xs text-red-700">
              Not posted: {fieldErrorsOf(create.error).body!.join(" ")}
            </p>
          ) : null}
          <FormError error={create.error} shownFields={["body"]} className="text-xs" />
          <Button type="submit" size="sm" loading={create.isPending} disabled={!body.trim()}>
            Comment
          </Button>
        </form>
      ) : body ? (
        // Commenting was taken away mid-draft (a role change): the text stays to be copied.
        <div className="space-y-2">
          <Textarea
            aria-label="Your unsent comment"
            aria-describedby="unsent-comment-note"
            rows={3}
            value={body}
            readOnly
          />
          <p id="unsent-comment-note" role="status" className="text-xs text-zinc-700">
            You can no longer comment here, so this was not posted. Copy it if you need it.
          </p>
          <Button size="sm" variant="secondary" onClick={() => setBody("")}>
            Discard
          </Button>
        </div>
      ) : null}
    </section>
  );
}
