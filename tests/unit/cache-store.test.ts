import { describe, expect, it } from "vitest";
import { FENCE_SECONDS, MemoryCacheStore } from "@/server/cache/store";

function clock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe("MemoryCacheStore", () => {
  it("returns what was filled until its TTL ends", async () => {
    const time = clock();
    const store = new MemoryCacheStore(100, time.now);
    await store.fill("a", "1", 60);
    expect(await store.get(["a", "b"])).toEqual(["1", null]);
    time.advance(59_999);
    expect(await store.get(["a"])).toEqual(["1"]);
    time.advance(1);
    expect(await store.get(["a"])).toEqual([null]);
  });

  it("drops a fill that lands within the fence after an invalidation (the stale-read race)", async () => {
    const time = clock();
    const store = new MemoryCacheStore(100, time.now);
    await store.fill("role", "ADMIN", 60);
    await store.invalidate(["role"]);
    expect(await store.get(["role"])).toEqual([null]);
    // A request that read ADMIN before the change tries to store it now: refused.
    await store.fill("role", "ADMIN", 60);
    expect(await store.get(["role"])).toEqual([null]);
    time.advance(FENCE_SECONDS * 1000);
    await store.fill("role", "VIEWER", 60);
    expect(await store.get(["role"])).toEqual(["VIEWER"]);
  });

  it("keeps at most maxEntries, forgetting the oldest first", async () => {
    const store = new MemoryCacheStore(3);
    for (const key of ["a", "b", "c", "d"]) await store.fill(key, key, 60);
    expect(await store.get(["a", "b", "c", "d"])).toEqual([null, "b", "c", "d"]);
    await store.fill("b", "b2", 60); // refreshed: now the newest
    await store.fill("e", "e", 60);
    expect(await store.get(["b", "c", "d", "e"])).toEqual(["b2", null, "d", "e"]);
  });

  it("clear() forgets every entry", async () => {
    const store = new MemoryCacheStore();
    await store.fill("a", "1", 60);
    store.clear();
    expect(await store.get(["a"])).toEqual([null]);
  });
});
