/**
 * Output schemas answer tRPC's parseAsync with Zod's synchronous parse (src/server/trpc/output.ts):
 * the same result and the same refusals, for every procedure.
 */
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { fastOutput, isFastOutput } from "@/server/trpc/output";
import { appRouter } from "@/server/routers/_app";

type ProcedureDef = { type: string; output?: unknown };

describe("fastOutput", () => {
  it("keeps the schema object (OpenAPI and Zod's registry know it by identity) and its result", async () => {
    const schema = z.object({ id: z.string(), at: z.date() });
    const prepared = fastOutput(schema);
    expect(prepared).toBe(schema);
    const value = { id: "a", at: new Date(0), extra: 1 };
    await expect(prepared.parseAsync(value)).resolves.toEqual({ id: "a", at: new Date(0) });
  });

  it("still refuses an output that does not match, as a rejected promise", async () => {
    const prepared = fastOutput(z.object({ id: z.string() }));
    const result = prepared.parseAsync({ id: 1 });
    expect(result).toBeInstanceOf(Promise);
    await expect(result).rejects.toBeInstanceOf(z.ZodError);
  });

  it("falls back to Zod's asynchronous parse for a schema with an asynchronous check", async () => {
    const prepared = fastOutput(z.string().refine(async (s) => Promise.resolve(s.length > 1), "too short"));
    await expect(prepared.parseAsync("ok")).resolves.toBe("ok");
    await expect(prepared.parseAsync("x")).rejects.toBeInstanceOf(z.ZodError);
  });

  it("is applied once however often a schema is reused", async () => {
    const schema = z.number();
    const descriptor = () => Object.getOwnPropertyDescriptor(fastOutput(schema), "parseAsync")?.value as unknown;
    const once = descriptor();
    expect(descriptor()).toBe(once);
    await expect(schema.parseAsync(3)).resolves.toBe(3);
  });
});

describe("every procedure", () => {
  it("declares its output through fastOutput (subscriptions stream events and declare none)", () => {
    // At run time `_def.procedures` is flat (path → procedure); its type is the nested router record.
    const flat = appRouter._def.procedures as unknown as Record<string, { _def: ProcedureDef }>;
    const procedures = Object.entries(flat);
    expect(procedures.length).toBeGreaterThan(40);
    const missing = procedures
      .filter(([, procedure]) => procedure._def.type !== "subscription" && !isFastOutput(procedure._def.output))
      .map(([path]) => path);
    expect(missing).toEqual([]);
  });
});
