"use client";
import { useCallback, useEffect, useRef, useState } from "react";
import { cn } from "./cn";

type Overflow = { before: boolean; after: boolean };

/** Which sides of a horizontally scrolling element hide content (1 px of slack for fractional widths). */
function overflowOf(el: HTMLElement): Overflow {
  return { before: el.scrollLeft > 1, after: el.scrollLeft + el.clientWidth < el.scrollWidth - 1 };
}

/**
 * A row wider than the screen that scrolls sideways on purpose: the page itself
 * never overflows, and whichever side hides content fades out and offers a
 * button to scroll there (headless and overlay-scrollbar browsers show no
 * scrollbar, so the fade and the button are the visible affordance). Keyboard
 * users reach hidden columns by tabbing into them: the browser scrolls focus into view.
 */
export function SideScroller({
  label,
  testId,
  className,
  children,
}: {
  label: string;
  testId?: string;
  className?: string;
  children: React.ReactNode;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const [overflow, setOverflow] = useState<Overflow>({ before: false, after: false });
  const measure = useCallback(() => {
    const el = ref.current;
    if (!el) return;
    const next = overflowOf(el);
    setOverflow((cur) => (cur.before === next.before && cur.after === next.after ? cur : next));
  }, []);

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    for (const child of Array.from(el.children)) observer.observe(child);
    el.addEventListener("scroll", measure, { passive: true });
    return () => {
      observer.disconnect();
      el.removeEventListener("scroll", measure);
    };
  }, [measure]);

  /** Most of a screen at a time, keeping one column's width of context. */
  const scroll = (direction: 1 | -1) => {
    const el = ref.current;
    if (!el) return;
    const step = Math.max(el.clientWidth * 0.75, 240);
    el.scrollBy({ left: direction * step, behavior: "smooth" });
  };

  return (
    <div className="relative h-full min-w-0">
      <div
        ref={ref}
        role="region"
        aria-label={label}
        data-testid={testId}
        className={cn("side-scroll flex h-full gap-3 overflow-x-auto overscroll-x-contain p-4", className)}
      >
        {children}
      </div>
      <Edge
        side="before"
        shown={overflow.before}
        onClick={() => scroll(-1)}
        label={`Scroll ${label.toLowerCase()} left`}
      />
      <Edge
        side="after"
        shown={overflow.after}
        onClick={() => scroll(1)}
        label={`Scroll ${label.toLowerCase()} right`}
      />
    </div>
  );
}

function Edge({
  side,
  shown,
  onClick,
  label,
}: {
  side: "before" | "after";
  shown: boolean;
  onClick: () => void;
  label: string;
}) {
  if (!shown) return null;
  const after = side === "after";
  return (
    <div
      data-testid={`scroll-${after ? "right" : "left"}`}
      className={cn(
        "pointer-events-none absolute inset-y-0 flex w-14 items-center",
        after ? "right-0 justify-end bg-linear-to-l pr-2" : "left-0 justify-start bg-linear-to-r pl-2",
        "from-white via-white/70 to-transparent",
      )}
    >
      <button
        type="button"
        onClick={onClick}
        aria-label={label}
        title={label}
        className="pointer-events-auto flex h-9 w-9 items-center justify-center rounded-full border border-zinc-300 bg-white text-zinc-700 shadow-md hover:bg-zinc-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-500"
      >
        <svg
          aria-hidden
          viewBox="0 0 16 16"
          className="h-4 w-4"
          fill="none"
          stroke="currentColor"
          strokeWidth="2"
          strokeLinecap="round"
          strokeLinejoin="round"
        >
          <path d={after ? "M6 3l5 5-5 5" : "M10 3L5 8l5 5"} />
        </svg>
      </button>
    </div>
  );
}
