/**
 * Debian's Chromium as the browser tests and the Lighthouse benchmark start it. Without the
 * background-networking flags, Chromium's own connections fail one by one on a closed network.
 */
export const CHROMIUM_PATH = process.env.CHROME_PATH ?? "/usr/bin/chromium";

export const CHROMIUM_FLAGS: readonly string[] = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
