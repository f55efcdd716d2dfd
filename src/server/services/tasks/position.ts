/** Placing a task in a board column; the caller holds the project lock (see lockProject). */
import type { DbTx } from "@/server/db/client";
import { listColumn, setPositions } from "@/server/db/tasks";
import type { TaskStatus } from "@/shared/tracker";
import { keyBetween, rekeyAround } from "./ordering";

export type ColumnSpot = {
  projectId: string;
  status: TaskStatus;
  /** The task being placed (left out of its column's re-keying); null for a task not inserted yet. */
  taskId: string | null;
  /** The task directly above the spot, or null for the top. */
  above: { id: string; position: string } | null;
  /** The position directly below the spot, or null for the bottom. */
  below: string | null;
};

/**
 * The position for a task at `spot`: a key between its neighbours, or, when that
 * key would be too long, fresh even keys for the tasks around the spot (written
 * here for the other tasks; the placed task's key is returned for the caller to write).
 * Re-keying changes no task's version or updatedAt: order is not a field edit.
 */
export async function positionAt(tx: DbTx, spot: ColumnSpot): Promise<string> {
  const key = keyBetween(spot.above?.position ?? null, spot.below);
  if (key !== null) return key;
  const column = await listColumn(tx, spot.projectId, spot.status, spot.taskId);
  const aboveIndex = spot.above ? column.findIndex((t) => t.id === spot.above?.id) : -1;
  const rekeyed = rekeyAround(column, spot.above ? (aboveIndex >= 0 ? aboveIndex + 1 : column.length) : 0);
  await setPositions(
    tx,
    rekeyed.others
      .filter(({ item, position }) => item.position !== position)
      .map(({ item, position }) => ({ id: item.id, position })),
  );
  return rekeyed.inserted;
}
