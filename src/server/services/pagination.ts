/** Opaque cursors for (createdAt, id) keyset pages, and turning `limit + 1` rows into a page. */
import { AppError } from "@/server/errors";
import type { TimeKey } from "@/server/db/keyset";
import { isStorableDate } from "@/server/db/task-query";

export function encodeTimeCursor(key: TimeKey): string {
  return Buffer.from(`${key.createdAt.toISOString()}|${key.id}`).toString("base64url");
}

export function decodeTimeCursor(raw: string | null | undefined): TimeKey | undefined {
  if (!raw) return undefined;
  const [iso, id] = Buffer.from(raw, "base64url").toString("utf8").split("|");
  const createdAt = iso ? new Date(iso) : new Date(Number.NaN);
  if (!id || !isStorableDate(createdAt))
    throw AppError.badRequest("Invalid cursor", { cursor: ["This cursor is not valid; start from the first page"] });
  return { createdAt, id };
}

/** Rows were fetched with `take: limit + 1`; the extra one only says another page exists. */
export function toPage<Row, Item>(
  rows: Row[],
  limit: number,
  map: (row: Row) => Item,
  cursorOf: (row: Row) => string,
): { items: Item[]; nextCursor: string | null } {
  const hasMore = rows.length > limit;
  const pageRows = hasMore ? rows.slice(0, limit) : rows;
  const last = pageRows.at(-1);
  return { items: pageRows.map(map), nextCursor: hasMore && last ? cursorOf(last) : null };
}
