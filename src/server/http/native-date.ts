/**
 * Next 16 replaces the global `Date` with a wrapper that reports reads of the clock to the
 * prerenderer of `cacheComponents` (next/dist/server/node-environment-extensions/date.js). Lanes
 * does not enable cacheComponents, so there the wrapper has nothing to report and only costs: every
 * `new Date(…)` goes through `Reflect.construct` with an `arguments` object, ~0.8 µs against ~0.1 µs,
 * and a 50-task page builds over 100 Dates while Prisma maps its rows — ~3 % of a task.list call's
 * CPU under load (docs/performance.md).
 *
 * The server keeps the native class: captured when this module loads (before Next's server code
 * does), put back once Next has started. The wrapper never changed the Dates it made, so nothing
 * else notices. With cacheComponents on, the wrapper is left in place.
 */
const nativeDate = globalThis.Date;

/** Puts the native Date back after Next replaced it, unless `cacheComponents` needs the wrapper. */
export function restoreNativeDate(config: { cacheComponents?: boolean }): void {
  if (config.cacheComponents || globalThis.Date === nativeDate) return;
  globalThis.Date = nativeDate;
  // The wrapper also set itself as the prototype's constructor (`new Date().constructor`).
  Object.defineProperty(nativeDate.prototype, "constructor", {
    value: nativeDate,
    writable: true,
    enumerable: false,
    configurable: true,
  });
}

/** Whether `Date` is the native class (tests, and the server's startup check). */
export function isNativeDate(): boolean {
  return globalThis.Date === nativeDate && new Date(0).constructor === nativeDate;
}
