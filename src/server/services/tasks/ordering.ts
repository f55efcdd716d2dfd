/**
 * Board order keys (docs/decisions/0015-board-rebalancing.md). A new key goes
 * between its two neighbours (fractional-indexing); repeated inserts at one spot
 * make such keys grow by about one character per six inserts, so past
 * REBALANCE_KEY_LENGTH the tasks around the spot are re-keyed evenly instead (the
 * smallest window whose outer neighbours leave room; the whole column only when
 * nothing smaller does). Pure: the database side is in ./position.ts.
 */
import { generateKeyBetween, generateNKeysBetween } from "fractional-indexing";

/** A new key longer than this re-keys the column. */
export const REBALANCE_KEY_LENGTH = 32;
/** What the database accepts (CHECK on Task.position); re-keyed columns stay far below it. */
export const MAX_POSITION_LENGTH = 64;

/**
 * The key between two neighbours (null = column edge), or null when the column
 * must be re-keyed: the key would be too long, or no key fits between them (equal
 * or malformed keys, which only hand-made data has).
 */
export function keyBetween(above: string | null, below: string | null): string | null {
  let key: string;
  try {
    key = generateKeyBetween(above, below);
  } catch {
    // fractional-indexing throws for equal or malformed keys; re-keying the column repairs both.
    return null;
  }
  return key.length <= REBALANCE_KEY_LENGTH ? key : null;
}

/**
 * Evenly spaced keys for a column: `others` keep their order and one new task is
 * inserted at index `at`. Keys for n tasks are about log62(n) + 1 characters.
 */
export function rekeyColumn<T>(
  others: readonly T[],
  at: number,
): { inserted: string; others: Array<{ item: T; position: string }> } {
  const index = Math.max(0, Math.min(at, others.length));
  const keys = generateNKeysBetween(null, null, others.length + 1);
  return {
    inserted: keys[index]!,
    others: others.map((item, i) => ({ item, position: keys[i < index ? i : i + 1]! })),
  };
}

/** Re-keyed keys are at most this long, so the spot takes many more inserts before the next re-key. */
export const REKEYED_KEY_LENGTH = 16;
/** Tasks on each side of the spot in the first window tried; it doubles until the keys fit. */
const FIRST_WINDOW_RADIUS = 8;

/**
 * Like rekeyColumn, but rewrites only a window around index `at`: keys for the window are spread
 * between the keys just outside it, and the window grows (doubling) until those outer keys leave
 * room for short keys. Repeated inserts at one spot crowd only that spot, so a window of a few
 * dozen tasks usually suffices where re-keying a 20,000-task column took seconds under the
 * project lock. Only the items whose key changes need writing.
 */
export function rekeyAround<T extends { position: string }>(
  column: readonly T[],
  at: number,
): { inserted: string; others: Array<{ item: T; position: string }> } {
  const index = Math.max(0, Math.min(at, column.length));
  for (let radius = FIRST_WINDOW_RADIUS; ; radius *= 2) {
    const from = Math.max(0, index - radius);
    const to = Math.min(column.length, index + radius);
    if (from === 0 && to === column.length) return rekeyColumn(column, index);
    const keys = keysBetween(column[from - 1]?.position ?? null, column[to]?.position ?? null, to - from + 1);
    if (!keys || keys.some((k) => k.length > REKEYED_KEY_LENGTH)) continue;
    const window = column.slice(from, to);
    const local = index - from;
    return {
      inserted: keys[local]!,
      others: [
        ...column.slice(0, from).map((item) => ({ item, position: item.position })),
        ...window.map((item, i) => ({ item, position: keys[i < local ? i : i + 1]! })),
        ...column.slice(to).map((item) => ({ item, position: item.position })),
      ],
    };
  }
}

/** n keys strictly between two keys, or null when none fit (equal or malformed keys). */
function keysBetween(above: string | null, below: string | null, n: number): string[] | null {
  try {
    return generateNKeysBetween(above, below, n);
  } catch {
    return null;
  }
}
