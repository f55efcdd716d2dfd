/** The process's one live hub, on the app's database (created with the first subscription). */
import { db } from "@/server/db/client";
import { findMembersByUserIds } from "@/server/db/memberships";
import { env } from "@/server/env";
import { createLiveHub, type Authorize, type LiveHub } from "./hub";
import { runningLiveHub, setRunningLiveHub } from "./running";

/** Still members, read from the database (not the cache): a removal stops delivery with its own event. */
export const stillMembers: Authorize = async (workspaceId, userIds) =>
  new Set((await findMembersByUserIds(db(), workspaceId, userIds)).map((m) => m.userId));

export function liveHub(): LiveHub {
  let hub = runningLiveHub<LiveHub>();
  if (!hub) {
    hub = createLiveHub(db(), env().DATABASE_URL, stillMembers);
    setRunningLiveHub(hub);
  }
  return hub;
}
