/**
 * The server puts back the native Date that Next's server code replaces (src/server/http/native-date.ts),
 * unless cacheComponents needs Next's wrapper. Runs against Next itself: loading its server replaces Date.
 */
import { describe, expect, it } from "vitest";
import { isNativeDate, restoreNativeDate } from "@/server/http/native-date";

describe("restoreNativeDate", () => {
  it("undoes Next's Date wrapper; Dates made before and after are alike", async () => {
    expect(isNativeDate()).toBe(true);
    await import("next/dist/server/next-server");
    expect(isNativeDate(), "Next's server no longer wraps Date: native-date.ts can go").toBe(false);
    const wrapped = new Date("2026-12-06T10:00:00.000Z");

    restoreNativeDate({});
    expect(isNativeDate()).toBe(true);
    const native = new Date("2026-12-06T10:00:00.000Z");
    expect(native.getTime()).toBe(wrapped.getTime());
    expect(wrapped).toBeInstanceOf(Date);
    expect(native.constructor).toBe(Date);
    expect(typeof Date.now()).toBe("number");
  });

  it("leaves the wrapper when cacheComponents is on", () => {
    const native = globalThis.Date;
    const wrapper = new Proxy(native, {});
    globalThis.Date = wrapper;
    try {
      restoreNativeDate({ cacheComponents: true });
      expect(globalThis.Date).toBe(wrapper);
      restoreNativeDate({ cacheComponents: false });
      expect(globalThis.Date).toBe(native);
    } finally {
      globalThis.Date = native;
    }
  });
});
