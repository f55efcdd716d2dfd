import { describe, expect, it } from "vitest";
import { MemoryCacheStore } from "@/server/cache/store";

function clock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

const values = async (store: MemoryCacheStore, keys: string[]) => (await store.get(keys)).map((e) => e.value);
const version = async (store: MemoryCacheStore, key: string) => (await store.get([key]))[0]!.version;

describe("MemoryCacheStore", () => {
  it("returns what was filled until its TTL ends", async () => {
    const time = clock();
    const store = new MemoryCacheStore(100, time.now);
    await store.fill("a", "1", 60, await version(store, "a"));
    expect(await values(store, ["a", "b"])).toEqual(["1", null]);
    time.advance(59_999);
    expect(await values(store, ["a"])).toEqual(["1"]);
    time.advance(1);
    expect(await values(store, ["a"])).toEqual([null]);
  });

  it("drops a fill whose read started before an invalidation (the stale-read race), not a later one", async () => {
    const store = new MemoryCacheStore();
    const before = await version(store, "role");
    // A request read ADMIN from PostgreSQL; meanwhile the demotion commits and invalidates.
    await store.invalidate(["role"]);
    await store.fill("role", "ADMIN", 60, before);
    expect(await values(store, ["role"])).toEqual([null]);
    // A request that starts now reads VIEWER and may store it at once.
    await store.fill("role", "VIEWER", 60, await version(store, "role"));
    expect(await values(store, ["role"])).toEqual(["VIEWER"]);
    await store.invalidate(["role"]);
    expect(await values(store, ["role"])).toEqual([null]);
  });

  it("keeps at most maxEntries, forgetting the oldest first", async () => {
    const store = new MemoryCacheStore(3);
    for (const key of ["a", "b", "c", "d"]) await store.fill(key, key, 60, "0");
    expect(await values(store, ["a", "b", "c", "d"])).toEqual([null, "b", "c", "d"]);
    await store.fill("b", "b2", 60, "0"); // refreshed: now the newest
    await store.fill("e", "e", 60, "0");
    expect(await values(store, ["b", "c", "d", "e"])).toEqual(["b2", null, "d", "e"]);
  });

  it("clear() forgets every entry", async () => {
    const store = new MemoryCacheStore();
    await store.fill("a", "1", 60, "0");
    store.clear();
    expect(await values(store, ["a"])).toEqual([null]);
  });
});
