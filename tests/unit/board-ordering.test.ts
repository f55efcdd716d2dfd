import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { generateKeyBetween } from "fractional-indexing";
import {
  keyBetween,
  MAX_POSITION_LENGTH,
  REBALANCE_KEY_LENGTH,
  REKEYED_KEY_LENGTH,
  rekeyAround,
  rekeyColumn,
} from "@/server/services/tasks/ordering";

type Card = { id: number; position: string };

/** Inserts card `id` at index `at` the way services/tasks/position.ts does: a key between neighbours, or a re-keyed column. */
function insert(column: Card[], id: number, at: number): { column: Card[]; rekeyed: boolean; rewritten: number } {
  const key = keyBetween(column[at - 1]?.position ?? null, column[at]?.position ?? null);
  if (key !== null)
    return {
      column: [...column.slice(0, at), { id, position: key }, ...column.slice(at)],
      rekeyed: false,
      rewritten: 0,
    };
  const rekeyed = rekeyAround(column, at);
  const rewritten = rekeyed.others.filter(({ item, position }) => item.position !== position).length;
  const others = rekeyed.others.map(({ item, position }) => ({ id: item.id, position }));
  return {
    column: [...others.slice(0, at), { id, position: rekeyed.inserted }, ...others.slice(at)],
    rekeyed: true,
    rewritten,
  };
}

function expectOrdered(column: Card[]): void {
  const positions = column.map((c) => c.position);
  // Byte-wise order (the column is COLLATE "C"), strictly increasing.
  for (let i = 1; i < positions.length; i++)
    expect(Buffer.compare(Buffer.from(positions[i - 1]!), Buffer.from(positions[i]!))).toBe(-1);
}

describe("fractional keys without rebalancing", () => {
  it("grow linearly when inserted between the same two neighbours, not logarithmically", () => {
    const lengths: number[] = [];
    let column = ["a0", "a1"];
    for (let i = 1; i <= 1000; i++) {
      column = [column[0]!, generateKeyBetween(column[0], column[1]), ...column.slice(1)];
      if (i % 250 === 0) lengths.push(Math.max(...column.map((k) => k.length)));
    }
    // Measured: 43, 86, 128, 169 characters after 250, 500, 750, 1000 inserts (about one per six).
    expect(lengths[3]).toBeGreaterThan(150);
    expect(lengths[3]! / lengths[0]!).toBeGreaterThan(3.5);
  });

  it("stay short at the top or the bottom of a column", () => {
    let top = ["a0"];
    let bottom = ["a0"];
    for (let i = 0; i < 1000; i++) {
      top = [generateKeyBetween(null, top[0]), ...top];
      bottom = [...bottom, generateKeyBetween(bottom.at(-1), null)];
    }
    expect(Math.max(...top.map((k) => k.length), ...bottom.map((k) => k.length))).toBeLessThanOrEqual(3);
  });
});

describe("keys with rebalancing", () => {
  it("stay at most 32 characters and in order after 1,000 inserts at one spot", () => {
    let column: Card[] = [
      { id: -1, position: "a0" },
      { id: -2, position: "a1" },
    ];
    let rekeys = 0;
    for (let id = 1; id <= 1000; id++) {
      const result = insert(column, id, 1); // always directly below the first card
      column = result.column;
      if (result.rekeyed) rekeys++;
      expect(column[1]!.position.length).toBeLessThanOrEqual(REBALANCE_KEY_LENGTH);
    }
    expectOrdered(column);
    expect(column.map((c) => c.id)).toEqual([-1, ...Array.from({ length: 1000 }, (_, i) => 1000 - i), -2]);
    expect(Math.max(...column.map((c) => c.position.length))).toBeLessThanOrEqual(REBALANCE_KEY_LENGTH);
    // About one re-key per ~180 inserts at one spot.
    expect(rekeys).toBeGreaterThan(0);
    expect(rekeys).toBeLessThan(20);
  });

  it("keep any sequence of inserts ordered and bounded", () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 400 }), (spots) => {
        let column: Card[] = [];
        const expected: number[] = [];
        spots.forEach((spot, id) => {
          const at = Math.round(spot * column.length);
          column = insert(column, id, at).column;
          expected.splice(at, 0, id);
        });
        expectOrdered(column);
        expect(column.map((c) => c.id)).toEqual(expected);
        expect(Math.max(...column.map((c) => c.position.length))).toBeLessThanOrEqual(REBALANCE_KEY_LENGTH);
      }),
      { numRuns: 50 },
    );
  });

  it("in a 20,000-task column, re-keys only the crowded spot, not the column", () => {
    let column: Card[] = rekeyColumn(
      Array.from({ length: 20_000 }, (_, i) => i),
      20_000,
    ).others.map(({ item, position }) => ({ id: item, position }));
    let rekeys = 0;
    let mostRewritten = 0;
    for (let id = 20_000; id < 21_000; id++) {
      const result = insert(column, id, 10_000); // always at the same spot, mid-column
      column = result.column;
      if (result.rekeyed) rekeys++;
      mostRewritten = Math.max(mostRewritten, result.rewritten);
    }
    expectOrdered(column);
    expect(column).toHaveLength(21_000);
    expect(rekeys).toBeGreaterThan(0);
    // Measured: a few dozen rows per re-key, where re-keying the column rewrote 20,000.
    expect(mostRewritten).toBeLessThan(500);
    expect(Math.max(...column.map((c) => c.position.length))).toBeLessThanOrEqual(REBALANCE_KEY_LENGTH);
  });

  it("re-keyed windows use short keys, and grow past equal or malformed neighbours", () => {
    const column: Card[] = [
      { id: 1, position: "a0" },
      { id: 2, position: "a1" },
      { id: 3, position: "a1" },
      { id: 4, position: "a2" },
    ];
    const result = rekeyAround(column, 2);
    const all = [
      ...result.others.slice(0, 2).map((o) => o.position),
      result.inserted,
      ...result.others.slice(2).map((o) => o.position),
    ];
    for (let i = 1; i < all.length; i++) expect(all[i - 1]! < all[i]!).toBe(true);
    expect(Math.max(...all.map((k) => k.length))).toBeLessThanOrEqual(REKEYED_KEY_LENGTH);
  });

  it("re-keys when neighbours have equal keys, and re-keyed keys are short", () => {
    expect(keyBetween("a0", "a0")).toBeNull();
    expect(keyBetween("a0", "not a key")).toBeNull();
    expect(keyBetween("a0", "a1")).toBe("a0V");
    const rekeyed = rekeyColumn(
      Array.from({ length: 100_000 }, (_, i) => i),
      50_000,
    );
    expect(
      rekeyed.others[49_999]!.position < rekeyed.inserted && rekeyed.inserted < rekeyed.others[50_000]!.position,
    ).toBe(true);
    expect(Math.max(...rekeyed.others.map((o) => o.position.length))).toBeLessThanOrEqual(4);
    expect(REBALANCE_KEY_LENGTH * 2).toBe(MAX_POSITION_LENGTH);
  });
});
