"use client";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { cn } from "@/components/ui/cn";
import { useTRPC } from "@/trpc/client";
import { useWorkspace } from "@/features/workspace/workspace-context";

/** The sidebar's project list: one link per active project. */
export function ProjectNav() {
  const trpc = useTRPC();
  const { slug } = useWorkspace();
  const pathname = usePathname();
  const projects = useQuery(trpc.project.list.queryOptions({ workspaceSlug: slug }));
  return (
    <div className="mt-5">
      <p className="px-2 text-xs font-medium tracking-wide text-zinc-500 uppercase">Projects</p>
      <ul className="mt-1 space-y-0.5">
        {projects.data?.map((p) => {
          const href = `/w/${slug}/projects/${p.key}`;
          const active = pathname.startsWith(href);
          return (
            <li key={p.id}>
              <Link
                href={href}
                aria-current={active ? "page" : undefined}
                className={cn(
                  "flex items-center gap-2 rounded-md px-2 py-1 text-sm",
                  active ? "bg-zinc-200/70 font-medium" : "text-zinc-600 hover:bg-zinc-100",
                )}
              >
                <span className={cn("w-10 shrink-0 font-mono text-[11px]", active ? "text-zinc-600" : "text-zinc-500")}>
                  {p.key}
                </span>
                <span className="truncate">{p.name}</span>
              </Link>
            </li>
          );
        })}
        {projects.data?.length === 0 ? <li className="px-2 py-1 text-xs text-zinc-500">No projects yet</li> : null}
        {projects.isError ? <li className="px-2 py-1 text-xs text-red-600">Could not load projects</li> : null}
      </ul>
    </div>
  );
}
