"use client";
import { useEffect, useState } from "react";
import { toast } from "sonner";
import { Button } from "./button";

/** Selects an element's text, so a failed copy leaves Ctrl/Cmd-C one key press away. */
export function selectContents(el: HTMLElement | null) {
  if (!el) return;
  if (el instanceof HTMLInputElement) {
    el.focus();
    el.select();
    return;
  }
  window.getSelection()?.selectAllChildren(el);
}

/**
 * Copies `text`. The clipboard API needs a secure context and may be refused; then the
 * text is selected instead and the person is told to copy it themselves.
 */
export function CopyButton({
  text,
  what,
  target,
}: {
  text: string;
  what: string;
  target: React.RefObject<HTMLElement | null>;
}) {
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    if (!copied) return;
    const timer = setTimeout(() => setCopied(false), 2000);
    return () => clearTimeout(timer);
  }, [copied]);
  async function copy() {
    try {
      if (!window.isSecureContext) throw new Error("no clipboard outside a secure context");
      await navigator.clipboard.writeText(text);
      setCopied(true);
      toast.success(`${what[0]!.toUpperCase()}${what.slice(1)} copied`);
    } catch {
      selectContents(target.current);
      toast.error(`Could not copy the ${what}: it is selected, press Ctrl+C (⌘C on a Mac)`);
    }
  }
  return (
    <Button variant="secondary" size="sm" className="shrink-0" onClick={() => void copy()}>
      {copied ? "Copied" : `Copy ${what}`}
    </Button>
  );
}
