/**
 * One server render reads from one place (decision 0050), against two real streaming replicas
 * (tests/setup/replica-pair.ts) of which one lags: the live stream's position the render hands to the
 * browser and the data it renders come from the same replica, so a change the page does not show is
 * always after the position it subscribes from (and gets replayed). Spread over both replicas, a render
 * could take the position from the current one and the tasks from the lagging one — and lose the change.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppServer } from "../setup/app-server";
import { createTemplate, createTestDatabase, type TestDatabase } from "../setup/databases";
import {
  machinePostgresBin,
  onStandby,
  replicaCaughtUp,
  startReplicaPair,
  startReplicatedServer,
  writerAndReader,
  type ReplicaPair,
} from "../setup/replica-pair";
import { trpcMutation, trpcQuery } from "../helpers/http";

let pair: ReplicaPair | null = null;
let database: TestDatabase | null = null;
let server: AppServer | null = null;
let base = "";
let writer = "";
let reader = "";
const slug = `rend-${randomBytes(3).toString("hex")}`;
let projectId = "";

async function position(cookie: string): Promise<string> {
  const res = await trpcQuery<{ seq: string }>(base, "live.position", { workspaceSlug: slug }, cookie);
  if (!res.ok) throw new Error(`live.position: ${res.status} ${res.text}`);
  return res.data.seq;
}

/** The board as the reader's browser gets it: the stream position it will subscribe from, and whether it shows `title`. */
async function renderBoard(title: string): Promise<{ since: string; shows: boolean }> {
  const res = await fetch(`${base}/w/${slug}/projects/RND`, { headers: { cookie: reader } });
  const html = await res.text();
  expect(res.status, html.slice(0, 300)).toBe(200);
  // The layout's prop, inside the RSC payload in the page (quotes escaped there).
  const since = /liveSince\\?":\\?"(\d+)/.exec(html)?.[1];
  if (!since) throw new Error("no liveSince in the rendered board");
  return { since, shows: html.includes(title) };
}

describe.skipIf(!machinePostgresBin() && !process.env.CI)("a server render with two read replicas", () => {
  beforeAll(async () => {
    pair = await startReplicaPair({ standbys: 2 });
    database = await createTestDatabase(pair.primaryUrl, await createTemplate(pair.primaryUrl));
    server = await startReplicatedServer({
      databaseUrl: database.url,
      replicaUrls: pair.standbys.map((standby) => onStandby(database!.url, standby.url)),
      stickySeconds: 2,
      name: "replica-render",
    });
    base = server.baseUrl;
    ({ writer, reader, projectId } = await writerAndReader(base, database.url, slug, "RND"));
    for (const standby of pair.standbys) await replicaCaughtUp(database.url, onStandby(database.url, standby.url));
  }, 240_000);

  afterAll(async () => {
    await server?.stop();
    await database?.drop().catch(() => undefined);
    pair?.stop();
  });

  it("takes the stream position and the page's data from the same replica", async () => {
    const lagging = pair!.standbys[1]!;
    const current = pair!.standbys[0]!;
    const title = `written while replica two lags ${randomBytes(3).toString("hex")}`;
    const before = await position(reader);
    await lagging.pauseReplay();
    try {
      const created = await trpcMutation(
        base,
        "task.create",
        { workspaceSlug: slug, projectId, title, idempotencyKey: randomUUID() },
        writer,
      );
      expect(created.status, created.text).toBe(200);
      const after = await position(writer); // the writer reads the primary (read-your-writes)
      expect(BigInt(after)).toBeGreaterThan(BigInt(before));
      await replicaCaughtUp(database!.url, onStandby(database!.url, current.url));

      const renders = [];
      for (let i = 0; i < 6; i++) renders.push(await renderBoard(title));
      // Both replicas served renders (the replicas take turns), so the check below saw both.
      expect(renders.some((render) => render.shows)).toBe(true);
      expect(renders.some((render) => !render.shows)).toBe(true);
      for (const render of renders)
        expect(render).toEqual({ since: render.shows ? after : before, shows: render.shows });
    } finally {
      await lagging.resumeReplay();
    }
  });
});
