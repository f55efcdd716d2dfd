/**
 * Lets @upstash/ratelimit run on plain TCP Redis through ioredis.
 *
 * Why by hand: @upstash/ratelimit talks to Upstash's REST client, but only
 * calls `evalsha`, `eval`, `get` and `set`, so any object with those works.
 * Its Lua scripts begin with `#!lua flags=allow-key-locking`, which Redis 7.0
 * rejects ("Unexpected flag in script shebang"), so we strip that line, load
 * the stripped script once, and map the library's script hash to ours.
 */
import { createHash } from "node:crypto";
import type { Redis as IORedis } from "ioredis";

type Arg = string | number | null | undefined;

const SHEBANG = /^#![^\n]*\n/;

function sha1(text: string): string {
  return createHash("sha1").update(text).digest("hex");
}

export class IORedisRatelimitAdapter {
  /** Library's hash of the original script → hash of the stripped script loaded in Redis. */
  private readonly loaded = new Map<string, string>();

  constructor(private readonly redis: IORedis) {}

  async evalsha<TData = unknown>(hash: string, keys: string[], args: Arg[]): Promise<TData> {
    const ours = this.loaded.get(hash);
    // Unknown script: answer like Redis does so the library falls back to `eval`.
    if (!ours) throw new Error("NOSCRIPT No matching script (not loaded through this adapter yet)");
    return (await this.redis.evalsha(ours, keys.length, ...keys, ...args.map(toRedisArg))) as TData;
  }

  async eval<TData = unknown>(script: string, keys: string[], args: Arg[]): Promise<TData> {
    const stripped = script.replace(SHEBANG, "");
    const ours = (await this.redis.script("LOAD", stripped)) as string;
    this.loaded.set(sha1(script), ours);
    return (await this.redis.evalsha(ours, keys.length, ...keys, ...args.map(toRedisArg))) as TData;
  }

  async get<TData = string>(key: string): Promise<TData | null> {
    return (await this.redis.get(key)) as TData | null;
  }

  async set(key: string, value: string | number): Promise<"OK"> {
    await this.redis.set(key, String(value));
    return "OK";
  }
}

function toRedisArg(value: Arg): string | number {
  return value ?? "";
}
