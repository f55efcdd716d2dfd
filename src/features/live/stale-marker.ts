/**
 * Gathers the routers live events made stale and invalidates them together, a moment later, once
 * this tab has no edit of its own in flight (an older answer must not overwrite an optimistic move).
 * Plain logic outside React, so the component keeps one for its life.
 */
import type { LiveEvent } from "@/shared/schemas/live";
import { affectedRouters, type RouterName } from "./affected";

/** Events arriving within this window cause one refetch. */
export const GATHER_MS = 100;

export class StaleMarker {
  private readonly stale = new Set<RouterName>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private connections = 0;

  constructor(
    private readonly invalidate: (routers: RouterName[]) => void,
    private readonly busy: () => boolean,
  ) {}

  receive(event: LiveEvent): void {
    // A reconnection replays the stream's events, but not the hints (inbox, presence) it missed meanwhile.
    if (event.kind === "ready" && this.connections++ > 0) this.mark(["notification", "invitation", "presence"]);
    this.mark(affectedRouters(event));
  }

  mark(routers: readonly RouterName[]): void {
    if (routers.length === 0) return;
    for (const name of routers) this.stale.add(name);
    this.timer ??= setTimeout(() => this.flush(), GATHER_MS);
  }

  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private flush(): void {
    if (this.busy()) {
      this.timer = setTimeout(() => this.flush(), GATHER_MS);
      return;
    }
    this.timer = null;
    const routers = [...this.stale];
    this.stale.clear();
    this.invalidate(routers);
  }
}
