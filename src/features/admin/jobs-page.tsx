"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { Badge, EmptyState, ErrorState, LoadingState } from "@/components/ui/states";
import { useTRPC } from "@/trpc/client";
import { errorCodeOf, messageOf } from "@/trpc/errors";
import type { JobDto } from "@/shared/schemas/jobs";
import { timeAgo } from "@/features/activity/describe";

const STATE_STYLE: Record<JobDto["state"], string> = {
  created: "bg-zinc-100 text-zinc-700",
  retry: "bg-amber-100 text-amber-900",
  active: "bg-sky-100 text-sky-900",
  completed: "bg-emerald-100 text-emerald-900",
  cancelled: "bg-zinc-100 text-zinc-500",
  failed: "bg-red-100 text-red-900",
  dead: "bg-red-200 text-red-950",
};
const STATE_LABEL: Record<JobDto["state"], string> = {
  created: "Waiting",
  retry: "Retrying",
  active: "Running",
  completed: "Done",
  cancelled: "Cancelled",
  failed: "Failed",
  dead: "Dead",
};

function JobRow({ job }: { job: JobDto }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const retry = useMutation(
    trpc.admin.retryJob.mutationOptions({
      onSuccess: async () => {
        toast.success(job.state === "dead" ? "Sent back to its queue" : "Queued to run again");
        await queryClient.invalidateQueries({ queryKey: trpc.admin.jobs.pathKey() });
      },
      onError: (error) => toast.error(messageOf(error)),
    }),
  );
  return (
    <tr className="border-t border-zinc-100 align-top" data-testid="job" data-state={job.state}>
      <td className="py-2 pr-3">
        <Badge className={STATE_STYLE[job.state]}>{STATE_LABEL[job.state]}</Badge>
      </td>
      <td className="py-2 pr-3 font-mono text-xs">{job.kind}</td>
      <td className="py-2 pr-3 text-xs text-zinc-600">
        {job.attempts} of {job.retryLimit + 1}
      </td>
      <td className="max-w-md py-2 pr-3 text-xs">
        {job.error ? <p className="text-red-800">{job.error}</p> : null}
        <code className="block truncate text-zinc-500" title={JSON.stringify(job.data)}>
          {JSON.stringify(job.data)}
        </code>
      </td>
      <td className="py-2 pr-3 text-xs text-zinc-600">
        <time dateTime={job.createdAt.toISOString()} title={job.createdAt.toLocaleString("en")}>
          {timeAgo(job.createdAt)}
        </time>
      </td>
      <td className="py-2 text-right">
        {job.state === "failed" || job.state === "dead" ? (
          <Button
            size="sm"
            variant="secondary"
            loading={retry.isPending}
            onClick={() => retry.mutate({ queue: job.queue, id: job.id })}
          >
            Retry
          </Button>
        ) : null}
      </td>
    </tr>
  );
}

/** /admin/jobs: every job kind's counts, and the jobs that need a look, with a way to retry them. */
export function JobsPage() {
  const trpc = useTRPC();
  const [show, setShow] = useState<"problems" | "all">("problems");
  const overview = useQuery({ ...trpc.admin.jobs.queryOptions({ show }), refetchInterval: 5_000 });
  return (
    <main className="mx-auto max-w-6xl space-y-6 p-6">
      <header className="flex items-center justify-between">
        <h1 className="text-lg font-semibold">Background jobs</h1>
        <Link href="/" className="text-sm text-brand-600 underline">
          Back to Lanes
        </Link>
      </header>
      {overview.isPending ? (
        <LoadingState label="Loading jobs…" />
      ) : overview.isError ? (
        errorCodeOf(overview.error) === "FORBIDDEN" ? (
          <p className="rounded-md bg-zinc-50 p-3 text-sm text-zinc-600">
            Only this installation&apos;s operators see its jobs: people whose email is listed in{" "}
            <code className="font-mono text-xs">ADMIN_EMAILS</code>.
          </p>
        ) : (
          <ErrorState message={messageOf(overview.error)} onRetry={() => void overview.refetch()} />
        )
      ) : (
        <>
          <section aria-labelledby="queues-heading">
            <h2 id="queues-heading" className="mb-2 text-sm font-semibold">
              Queues
            </h2>
            <table className="w-full text-sm">
              <thead className="text-left text-xs text-zinc-500">
                <tr>
                  <th className="py-1 pr-3 font-medium">Kind</th>
                  {["Waiting", "Retrying", "Running", "Failed", "Dead", "Done"].map((h) => (
                    <th key={h} className="py-1 pr-3 text-right font-medium">
                      {h}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {overview.data.queues.map((q) => (
                  <tr key={q.name} className="border-t border-zinc-100" data-testid="queue" data-name={q.name}>
                    <td className="py-1.5 pr-3 font-mono text-xs">{q.name}</td>
                    {[
                      q.counts.created,
                      q.counts.retry,
                      q.counts.active,
                      q.counts.failed,
                      q.dead,
                      q.counts.completed,
                    ].map((n, i) => (
                      <td key={i} className={cn("py-1.5 pr-3 text-right tabular-nums", n ? "" : "text-zinc-300")}>
                        {n}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
          <section aria-labelledby="jobs-heading" className="space-y-2">
            <div className="flex items-center gap-3">
              <h2 id="jobs-heading" className="text-sm font-semibold">
                Jobs
              </h2>
              <label className="flex items-center gap-1.5 text-xs text-zinc-600">
                <input
                  type="checkbox"
                  checked={show === "all"}
                  onChange={(e) => setShow(e.target.checked ? "all" : "problems")}
                  className="accent-brand-600"
                />
                Also waiting and running
              </label>
            </div>
            {overview.data.jobs.length === 0 ? (
              <EmptyState title="Nothing needs a look">No failed, retrying or dead jobs.</EmptyState>
            ) : (
              <table className="w-full text-sm">
                <thead className="text-left text-xs text-zinc-500">
                  <tr>
                    <th className="py-1 pr-3 font-medium">State</th>
                    <th className="py-1 pr-3 font-medium">Kind</th>
                    <th className="py-1 pr-3 font-medium">Attempts</th>
                    <th className="py-1 pr-3 font-medium">Error and payload</th>
                    <th className="py-1 pr-3 font-medium">Queued</th>
                    <th className="py-1" />
                  </tr>
                </thead>
                <tbody>
                  {overview.data.jobs.map((job) => (
                    <JobRow key={`${job.queue}:${job.id}`} job={job} />
                  ))}
                </tbody>
              </table>
            )}
          </section>
        </>
      )}
    </main>
  );
}
