/**
 * Calling Lanes from another TypeScript program with an API key and the `AppRouter` type.
 *
 *   LANES_URL=http://localhost:3000 LANES_API_KEY=lanes_… LANES_WORKSPACE=acme npx tsx examples/list-tasks.ts
 *
 * Lists the workspace's open tasks (every page), then tries to create one: with a `read` key that is
 * refused (403), which this prints instead of failing. Only types come from Lanes' source
 * (`import type`): nothing of the server is bundled into a client like this one.
 */
import { createTRPCClient, httpBatchLink, TRPCClientError } from "@trpc/client";
import superjson from "superjson";
import type { AppRouter } from "../src/server/routers/_app";

const url = process.env.LANES_URL ?? "http://localhost:3000";
const apiKey = process.env.LANES_API_KEY;
const workspaceSlug = process.env.LANES_WORKSPACE ?? "acme";
if (!apiKey) {
  console.error("Set LANES_API_KEY to a key from the workspace's settings (Settings → API keys).");
  process.exit(2);
}

const lanes = createTRPCClient<AppRouter>({
  links: [
    httpBatchLink({
      url: `${url}/api/trpc`,
      transformer: superjson,
      headers: { authorization: `Bearer ${apiKey}` },
    }),
  ],
});

/** The server's error, as the typed client sees it: code, HTTP status, and when to retry on 429/503. */
function describeError(error: unknown): string {
  if (!(error instanceof TRPCClientError)) return String(error);
  const { data } = error as TRPCClientError<AppRouter>;
  const retry = data?.details?.retryAfterSeconds;
  return `${data?.httpStatus ?? "?"} ${data?.code ?? "?"}: ${error.message}${retry ? ` (retry in ${retry} s)` : ""}`;
}

async function main(): Promise<void> {
  const projects = await lanes.project.list.query({ workspaceSlug });
  console.log(`${projects.length} project(s): ${projects.map((p) => p.key).join(", ")}`);

  let cursor: string | null = null;
  let count = 0;
  do {
    const page = await lanes.task.list.query({
      workspaceSlug,
      filter: { status: ["BACKLOG", "TODO", "IN_PROGRESS", "IN_REVIEW"] },
      sort: "updated",
      limit: 100,
      cursor,
    });
    for (const task of page.items) console.log(`${task.ref}\t${task.status}\t${task.title}`);
    count += page.items.length;
    cursor = page.nextCursor;
  } while (cursor && count < 1_000);
  console.log(`${count} open task(s)`);

  const first = projects[0];
  if (!first) return;
  try {
    const created = await lanes.task.create.mutate({
      workspaceSlug,
      projectId: first.id,
      title: "Created by a script",
    });
    console.log(`created ${created.ref}`);
  } catch (error) {
    console.log(`create refused: ${describeError(error)}`);
  }
}

main().catch((error: unknown) => {
  console.error(describeError(error));
  process.exit(1);
});
