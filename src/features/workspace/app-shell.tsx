"use client";
import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import { Avatar } from "@/components/ui/states";
import { cn } from "@/components/ui/cn";
import type { MyWorkspace } from "@/shared/schemas/workspace";
import type { UserSummary } from "@/shared/schemas/common";
import { signOutAction } from "@/app/signin/actions";
import { useWorkspace } from "./workspace-context";
import { MyInvitations } from "./my-invitations";
import { ProjectNav } from "@/features/projects/project-nav";
import { CommandPalette } from "@/features/search/command-palette";
import { NotificationBell } from "@/features/notifications/notification-bell";
import { LiveUpdates } from "@/features/live/live-updates";

function NavLink({ href, children, exact = false }: { href: string; children: React.ReactNode; exact?: boolean }) {
  const pathname = usePathname();
  const active = exact ? pathname === href : pathname === href || pathname.startsWith(`${href}/`);
  return (
    <Link
      href={href}
      aria-current={active ? "page" : undefined}
      className={cn(
        "flex items-center gap-2 rounded-md px-2 py-1.5 text-sm",
        active ? "bg-zinc-200/70 font-medium text-zinc-900" : "text-zinc-600 hover:bg-zinc-100",
      )}
    >
      {children}
    </Link>
  );
}

function WorkspaceSwitcher({ workspaces }: { workspaces: MyWorkspace[] }) {
  const { slug } = useWorkspace();
  const router = useRouter();
  return (
    <select
      aria-label="Switch workspace"
      value={slug}
      onChange={(e) => (e.target.value === "__new" ? router.push("/new") : router.push(`/w/${e.target.value}`))}
      className="w-full truncate rounded-md border-0 bg-transparent px-1 py-1 text-sm font-semibold hover:bg-zinc-100 focus:ring-2 focus:ring-brand-500/30"
    >
      {workspaces.map((w) => (
        <option key={w.id} value={w.slug}>
          {w.name}
        </option>
      ))}
      <option value="__new">+ New workspace…</option>
    </select>
  );
}

export function AppShell({
  workspaces,
  me,
  liveSince,
  children,
}: {
  workspaces: MyWorkspace[];
  me: UserSummary;
  /** The live stream's position when the server rendered this workspace (null: start from now). */
  liveSince: string | null;
  children: React.ReactNode;
}) {
  const { slug, can } = useWorkspace();
  const base = `/w/${slug}`;
  return (
    <div className="flex h-full">
      <aside className="flex w-60 shrink-0 flex-col border-r border-zinc-200 bg-zinc-50/80 p-3">
        <WorkspaceSwitcher workspaces={workspaces} />
        <CommandPalette />
        <nav className="mt-3 space-y-0.5" aria-label="Workspace">
          <NavLink href={base} exact>
            Projects
          </NavLink>
          <NavLink href={`${base}/my-tasks`}>My tasks</NavLink>
          <NotificationBell />
          <NavLink href={`${base}/activity`}>Activity</NavLink>
          <NavLink href={`${base}/members`}>Members</NavLink>
          {/* Exact: API keys, below, lives under /settings and is its own entry. */}
          <NavLink href={`${base}/settings`} exact>
            Settings
          </NavLink>
          {can("apiKey.read") ? <NavLink href={`${base}/settings/api-keys`}>API keys</NavLink> : null}
          {can("webhook.read") ? <NavLink href={`${base}/settings/webhooks`}>Webhooks</NavLink> : null}
        </nav>
        <ProjectNav />
        <MyInvitations className="mt-3" />
        <div className="mt-auto">
          <LiveUpdates key={slug} since={liveSince} />
        </div>
        <div className="mt-2 flex items-center gap-2 border-t border-zinc-200 pt-3">
          <Avatar name={me.name ?? me.email} />
          <div className="min-w-0 flex-1 text-xs">
            <p className="truncate font-medium" data-testid="current-user">
              {me.name ?? me.email}
            </p>
            <p className="truncate text-zinc-500">@{me.handle}</p>
          </div>
          <form action={signOutAction}>
            <button type="submit" className="rounded px-1.5 py-1 text-xs text-zinc-600 hover:bg-zinc-200">
              Sign out
            </button>
          </form>
        </div>
      </aside>
      <div className="min-w-0 flex-1 overflow-y-auto bg-white">{children}</div>
    </div>
  );
}

export function PageHeader({ title, children }: { title: React.ReactNode; children?: React.ReactNode }) {
  return (
    <header className="sticky top-0 z-10 flex min-h-14 items-center justify-between gap-3 border-b border-zinc-200 bg-white/95 px-6 py-2 backdrop-blur">
      <h1 className="truncate text-base font-semibold">{title}</h1>
      <div className="flex items-center gap-2">{children}</div>
    </header>
  );
}
