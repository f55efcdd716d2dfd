/** What the HTTP benchmarks share: a tRPC caller with a session cookie, and percentiles. */
import superjson from "superjson";

export type Trpc = (path: string, input: unknown, kind?: "query" | "mutation") => Promise<unknown>;

/** Calls Lanes' /api/trpc as a signed-in browser would (superjson; mutations same-origin POSTs). */
export function trpcClient(url: string, cookie: string): Trpc {
  return async (procedure, input, kind = "mutation") => {
    const serialized = JSON.stringify(superjson.serialize(input));
    const res =
      kind === "query"
        ? await fetch(`${url}/api/trpc/${procedure}?input=${encodeURIComponent(serialized)}`, { headers: { cookie } })
        : await fetch(`${url}/api/trpc/${procedure}`, {
            method: "POST",
            // The server's APP_URL is http://localhost:PORT (bench/server.ts): a same-origin request.
            headers: { "content-type": "application/json", cookie, origin: url.replace("127.0.0.1", "localhost") },
            body: serialized,
          });
    const body = (await res.json()) as { result?: { data: unknown }; error?: unknown };
    if (!res.ok || !body.result) throw new Error(`${procedure}: HTTP ${res.status} ${JSON.stringify(body.error)}`);
    return superjson.deserialize(body.result.data as Parameters<typeof superjson.deserialize>[0]);
  };
}

/** The p-th percentile of `values`, to 0.1. */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length
    ? Math.round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! * 10) / 10
    : 0;
}
