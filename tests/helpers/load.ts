/**
 * A steady mixed load for lifecycle tests: workers that list tasks and create tasks (with
 * idempotency keys) until stopped, each call retried once — on the next target — when it was
 * refused in a way a client may retry (no connection, a dropped one, a 502 or 503). What the
 * client saw succeed is recorded, so a test can check that every acknowledged write is stored once.
 */
import { randomBytes } from "node:crypto";
import { trpcMutation, trpcQuery, type RequestOptions, type TrpcResponse } from "./http";

export type LoadResult = { sent: number; retried: number; failures: string[]; written: Set<string> };
export type Load = { sent: () => number; stop: () => Promise<LoadResult> };

function retryable(outcome: TrpcResponse<unknown> | Error): boolean {
  return outcome instanceof Error || outcome.status === 502 || outcome.status === 503;
}

export function startLoad(options: {
  /** Where calls go: the first choice rotates; a retry goes to the next one (or the same, if only one). */
  targets: () => string[];
  workers: number;
  /** A session cookie, or headers (an API key). */
  auth: string | RequestOptions;
  slug: string;
  projectId: string;
}): Load {
  const result: LoadResult = { sent: 0, retried: 0, failures: [], written: new Set() };
  let stopped = false;

  async function call(first: number, run: (base: string) => Promise<TrpcResponse<unknown>>) {
    result.sent++;
    const targets = options.targets();
    const attempt = (base: string) => run(base).catch((error: unknown) => error as Error);
    let outcome = await attempt(targets[first % targets.length]!);
    if (retryable(outcome)) {
      result.retried++;
      outcome = await attempt(targets[(first + 1) % targets.length]!);
    }
    if (outcome instanceof Error || !outcome.ok) {
      result.failures.push(
        outcome instanceof Error ? outcome.message : `${outcome.status} ${outcome.text.slice(0, 200)}`,
      );
      return null;
    }
    return outcome;
  }

  async function worker(index: number) {
    const { auth, slug, projectId } = options;
    for (let i = 0; !stopped; i++) {
      if (i % 3 === 0) {
        // A retry of a create that did reach a server returns the same task instead of a second one.
        const key = `load-${index}-${i}-${randomBytes(3).toString("hex")}`;
        const res = await call(index + i, (base) =>
          trpcMutation<{ id: string }>(
            base,
            "task.create",
            { workspaceSlug: slug, projectId, title: `Task ${key}`, idempotencyKey: key },
            auth,
          ),
        );
        if (res) result.written.add((res.data as { id: string }).id);
      } else {
        await call(index + i, (base) =>
          trpcQuery(base, "task.list", { workspaceSlug: slug, filter: { projectId } }, auth),
        );
      }
    }
  }

  const running = Promise.all(Array.from({ length: options.workers }, (_, i) => worker(i)));
  return {
    sent: () => result.sent,
    stop: async () => {
      stopped = true;
      await running;
      return result;
    },
  };
}
