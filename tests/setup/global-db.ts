/**
 * Global setup for the integration project: checks the services CI promises
 * (failing, never skipping, when a configured one is unreachable) and builds
 * the template database.
 */
import type { TestProject } from "vitest/node";
import { Redis } from "ioredis";
import { createTemplate, dropDatabaseOnServer, serverUrl } from "./databases";

declare module "vitest" {
  export interface ProvidedContext {
    templateDatabase: string | null;
  }
}

export async function assertRedisReachable(): Promise<void> {
  const url = process.env.REDIS_URL;
  if (!url) return;
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 3000, retryStrategy: () => null });
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
  const url = serverUrl();
  const template = url ? await createTemplate(url) : null;
  project.provide("templateDatabase", template);
  return async () => {
    if (url && template) await dropDatabaseOnServer(url, template);
  };
}
