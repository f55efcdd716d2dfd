/**
 * Per test file: its own database (a copy of the run's migrated template), a
 * Prisma client on it, and the app's configuration pointed at it. Imported by
 * every integration test file. The request cache is off: these tests arrange rows
 * directly and must read them back at once; tests/integration/cache.test.ts turns
 * it on for itself, and the HTTP and browser tests run the servers with it.
 */
import { afterAll, beforeAll, inject } from "vitest";
import { createDb, useDb, type Db } from "@/server/db/client";
import { useCacheStore } from "@/server/cache/cache";
import { stopJobQueue } from "@/server/jobs/running";
import { createTestDatabase, type TestDatabase } from "./databases";

let database: TestDatabase | undefined;
let client: Db | undefined;

beforeAll(async () => {
  database = await createTestDatabase(inject("databaseServerUrl"), inject("templateDatabase"));
  process.env.DATABASE_URL = database.url;
  client = createDb(database.url, 5);
  useDb(client);
  useCacheStore(null);
}, 60_000);

afterAll(async () => {
  // A queue started by this file's enqueues (on its database) ends with it.
  await stopJobQueue(1_000);
  await client?.$disconnect();
  await database?.drop();
});

/** The Prisma client on this file's database. */
export function testDb(): Db {
  if (!client) throw new Error("testDb() is only available inside tests (after beforeAll)");
  return client;
}
