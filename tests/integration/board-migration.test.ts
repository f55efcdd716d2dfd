/**
 * The board-position migration on a database that already holds over-long keys:
 * it re-keys exactly the affected columns, in their order, with the keys
 * fractional-indexing makes, and then enforces the length limit.
 * (This file's database is its own copy, so it may drop and re-add the CHECK.)
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { generateKeyBetween, generateNKeysBetween } from "fractional-indexing";
import { testDb } from "../setup/file-db";
import { makeProject, makeWorkspace, uid } from "../helpers/factories";

const MIGRATION = path.resolve(
  import.meta.dirname,
  "../../prisma/migrations/20261202120000_board_position_length/migration.sql",
);

describe("20261202120000_board_position_length", () => {
  it(
    "re-keys columns holding keys past 64 characters, keeps their order, leaves other columns alone",
    { timeout: 60_000 },
    async () => {
      const ws = await makeWorkspace();
      const project = await makeProject(ws, "MIG");
      await testDb().$executeRawUnsafe(`ALTER TABLE "Task" DROP CONSTRAINT "Task_position_length"`);

      // TODO: 300 cards inserted one after another below the first (keys up to ~50 characters), plus
      // a few hand-made keys past 64; 4,000 cards in IN_PROGRESS, the long one among them (past "az" and "bzz" key sizes).
      let keys = ["a0", "a1"];
      for (let i = 0; i < 300; i++) keys = [keys[0]!, generateKeyBetween(keys[0], keys[1]), ...keys.slice(1)];
      const long = `a0${"V".repeat(70)}`;
      const todo = [...keys, long, `${long}V`].sort();
      const inProgress = [...generateNKeysBetween("a0", null, 3999), long].sort();
      const done = ["a0", "a1", "a2"];
      let number = 0;
      const rows = (status: "TODO" | "IN_PROGRESS" | "DONE", positions: string[]) =>
        positions.map((position) => ({
          id: `mig-${uid()}-${++number}`,
          workspaceId: ws.id,
          projectId: project.id,
          number,
          title: `Card ${number}`,
          status,
          creatorId: ws.owner.id,
          position,
        }));
      await testDb().task.createMany({
        data: [...rows("TODO", todo), ...rows("IN_PROGRESS", inProgress), ...rows("DONE", done)],
      });
      const before = await testDb().task.findMany({
        where: { projectId: project.id },
        orderBy: [{ status: "asc" }, { position: "asc" }, { id: "asc" }],
        select: { id: true, status: true, position: true },
      });

      await testDb().$executeRawUnsafe(readFileSync(MIGRATION, "utf8"));

      const after = await testDb().task.findMany({
        where: { projectId: project.id },
        orderBy: [{ status: "asc" }, { position: "asc" }, { id: "asc" }],
        select: { id: true, status: true, position: true },
      });
      // Same cards in the same order in every column.
      expect(after.map((t) => [t.status, t.id])).toEqual(before.map((t) => [t.status, t.id]));
      const column = (list: typeof after, status: string) =>
        list.filter((t) => t.status === status).map((t) => t.position);
      expect(column(after, "TODO")).toEqual(generateNKeysBetween(null, null, todo.length));
      expect(column(after, "IN_PROGRESS")).toEqual(generateNKeysBetween(null, null, inProgress.length));
      expect(column(after, "DONE")).toEqual(done);
      expect(Math.max(...after.map((t) => t.position.length))).toBeLessThanOrEqual(4);
      // And the limit holds from now on.
      await expect(testDb().task.update({ where: { id: after[0]!.id }, data: { position: long } })).rejects.toThrow(
        /Task_position_length/,
      );
    },
  );
});
