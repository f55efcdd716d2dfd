import { Spinner } from "./button";
import { cn } from "./cn";

export function LoadingState({ label = "Loading…", className }: { label?: string; className?: string }) {
  return (
    <div role="status" className={cn("flex items-center justify-center gap-2 p-8 text-sm text-zinc-500", className)}>
      <Spinner /> {label}
    </div>
  );
}

export function ErrorState({
  title = "Something went wrong",
  message,
  onRetry,
}: {
  title?: string;
  message?: string;
  onRetry?: () => void;
}) {
  return (
    <div role="alert" className="m-4 rounded-lg border border-red-200 bg-red-50 p-4 text-sm text-red-800">
      <p className="font-medium">{title}</p>
      {message ? <p className="mt-1">{message}</p> : null}
      {onRetry ? (
        <button type="button" onClick={onRetry} className="mt-2 text-red-700 underline">
          Try again
        </button>
      ) : null}
    </div>
  );
}

export function EmptyState({ title, children }: { title: string; children?: React.ReactNode }) {
  return (
    <div className="rounded-lg border border-dashed border-zinc-300 p-8 text-center text-sm text-zinc-500">
      <p className="font-medium text-zinc-700">{title}</p>
      {children ? <div className="mt-2">{children}</div> : null}
    </div>
  );
}

export function Badge({ children, className }: { children: React.ReactNode; className?: string }) {
  return (
    <span
      className={cn(
        "inline-flex items-center rounded px-1.5 py-0.5 text-xs font-medium",
        className ?? "bg-zinc-100 text-zinc-700",
      )}
    >
      {children}
    </span>
  );
}

export function Avatar({ name, size = 24 }: { name: string; size?: number }) {
  const initials = name
    .split(/[\s@._-]+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((p) => p[0]!.toUpperCase())
    .join("");
  const hue = [...name].reduce((h, c) => (h * 31 + c.charCodeAt(0)) % 360, 7);
  return (
    <span
      aria-hidden
      title={name}
      className="inline-flex shrink-0 items-center justify-center rounded-full font-semibold text-zinc-900"
      // Light tints with dark initials: readable (WCAG AA) whatever the hue; white on mid-tone greens and yellows is not.
      style={{ width: size, height: size, fontSize: size * 0.42, background: `hsl(${hue} 65% 84%)` }}
    >
      {initials || "?"}
    </span>
  );
}
