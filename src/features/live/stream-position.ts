/**
 * The workspace stream's position for one server render, read once (React `cache`) and before any of
 * the render's data: the layout hands it to the live subscription as its starting point, so a change
 * made between this render's reads and the subscription going live is replayed, not lost.
 */
import "server-only";
import { cache } from "react";
import { serverCaller } from "@/trpc/server";

/** The event number to resume after, or null (not a member: the page says so on its own). */
export const streamPositionFor = cache(async (slug: string): Promise<string | null> => {
  const caller = await serverCaller();
  return caller.live
    .position({ workspaceSlug: slug })
    .then((position) => position.seq)
    .catch(() => null);
});
