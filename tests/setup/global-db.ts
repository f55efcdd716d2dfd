/**
 * Global setup for the integration project: checks the services CI promises
 * (failing, never skipping, when a configured one is unreachable), then takes
 * the run's database server and template (tests/setup/databases.ts: the
 * TEST_DATABASE_URL server, or one embedded PostgreSQL) and hands both to the
 * test files, which each copy the template into a database of their own.
 */
import type { TestProject } from "vitest/node";
import { Redis } from "ioredis";
import { acquireDatabaseServer } from "./databases";

declare module "vitest" {
  export interface ProvidedContext {
    databaseServerUrl: string;
    templateDatabase: string;
  }
}

export async function assertRedisReachable(): Promise<void> {
  const url = process.env.REDIS_URL;
  if (!url) return;
  const redis = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    connectTimeout: 3000,
    retryStrategy: () => null,
  });
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    throw new Error(`REDIS_URL is set but Redis is unreachable: ${(error as Error).message}`);
  } finally {
    redis.disconnect();
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  await assertRedisReachable();
  const server = await acquireDatabaseServer();
  project.provide("databaseServerUrl", server.url);
  project.provide("templateDatabase", server.template);
  return server.release;
}
