/**
 * Board order keys (docs/decisions/0015-board-rebalancing.md). A new key goes
 * between its two neighbours (fractional-indexing); repeated inserts at one spot
 * make such keys grow by about one character per six inserts, so past
 * REBALANCE_KEY_LENGTH the whole column is re-keyed evenly instead. Pure: the
 * database side is in ./position.ts.
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
