/**
 * Property-based "no 5xx": every procedure, discovered from the router, called with
 * thousands of generated inputs (tests/helpers/arbitrary.ts: mostly valid, salted with
 * hostile values and other tenants' ids) by every kind of caller, on a real database.
 * Any answer is fine — data or a 4xx — except a 5xx or an error that is not the API's
 * error shape. Fixed seed, so a failure reproduces; fast-check shrinks it to the smallest input.
 */
import { beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import type { z } from "zod";
import { testDb } from "../setup/file-db";
import {
  addMember,
  callerFor,
  makeProject,
  makeTask,
  makeUser,
  makeWorkspace,
  type TestUser,
} from "../helpers/factories";
import { inputsFor, type IdPools } from "../helpers/arbitrary";
import { runQueuedJobs } from "../helpers/queued-jobs";
import { appRouter } from "@/server/routers/_app";
import { formatErrorData } from "@/server/trpc/errors";

// The limits are not under test here, and would turn most calls into 429s.
process.env.RATE_LIMIT_DISABLED = "true";

/** Fixed for CI; `FUZZ_SEED=<n> npm test` explores other inputs. */
const SEED = Number(process.env.FUZZ_SEED ?? 20261202);
const RUNS_PER_PROCEDURE = 100;
/** Run last: they remove what other procedures' inputs point at. */
const DESTRUCTIVE = [
  "member.remove",
  "member.leave",
  "task.delete",
  "label.delete",
  "comment.delete",
  "invitation.revoke",
  "project.setArchived",
  "invitation.accept",
  "invitation.acceptMine",
];

type Call = (input: unknown) => Promise<unknown>;
type Procedure = { _def: { type: string; inputs: z.ZodType[] } };

const procedures = Object.entries(appRouter._def.procedures as unknown as Record<string, Procedure>)
  .filter(([, p]) => p._def.type !== "subscription")
  .sort(([a], [b]) => Number(DESTRUCTIVE.includes(a)) - Number(DESTRUCTIVE.includes(b)) || a.localeCompare(b));

const INVITE_URL = /\/invite\/([A-Za-z0-9_-]+)/;

let callers: Array<{ name: string; call: (path: string) => Call }> = [];
let pools: IdPools = {};
const outcomes = new Map<string, number>();

function resolve(caller: ReturnType<typeof callerFor>, path: string): Call {
  const [domain = "", name = ""] = path.split(".");
  // The caller is a nested proxy keyed by router and procedure name.
  return (caller as unknown as Record<string, Record<string, Call>>)[domain]![name]!;
}

async function inviteToken(actor: TestUser, slug: string, email: string): Promise<string> {
  await callerFor(actor).invitation.create({ workspaceSlug: slug, email });
  await runQueuedJobs("mail.invitation");
  const mail = await testDb().mailboxMessage.findFirstOrThrow({
    where: { to: email },
    orderBy: { createdAt: "desc" },
    select: { text: true },
  });
  return INVITE_URL.exec(mail.text)![1]!;
}

beforeAll(async () => {
  // Workspace A, with every role; workspace B, another tenant whose ids are mixed into the pools.
  const a = await makeWorkspace();
  const admin = await addMember(a, "ADMIN");
  const member = await addMember(a, "MEMBER");
  const viewer = await addMember(a, "VIEWER");
  const b = await makeWorkspace();
  const outsider = await makeUser("outsider");
  const [webA, opsA, webB] = [await makeProject(a, "WEB"), await makeProject(a, "OPS"), await makeProject(b, "WEB")];
  const tasksA = [];
  for (let i = 0; i < 6; i++)
    tasksA.push(
      await makeTask(a, i % 2 ? webA.id : opsA.id, {
        title: `Fuzz task ${i} <b>bold</b>`,
        description: `About @${member.handle}`,
      }),
    );
  const taskB = await makeTask(b, webB.id, { title: "Other tenant's task" });
  const ownerA = callerFor(a.owner);
  const labelA = await ownerA.label.create({ workspaceSlug: a.slug, name: "bug", color: "#ff0000" });
  const labelB = await callerFor(b.owner).label.create({ workspaceSlug: b.slug, name: "bug", color: "#00ff00" });
  const commentA = await ownerA.comment.create({
    workspaceSlug: a.slug,
    taskId: tasksA[0]!.id,
    body: `Ping @${member.handle} and @${viewer.handle}`,
  });
  const commentB = await callerFor(b.owner).comment.create({
    workspaceSlug: b.slug,
    taskId: taskB.id,
    body: "B's comment",
  });
  const tokenA = await inviteToken(a.owner, a.slug, outsider.email);
  const tokenB = await inviteToken(b.owner, b.slug, `someone-${b.slug}@example.test`);
  const memberships = await testDb().membership.findMany({
    where: { workspaceId: { in: [a.id, b.id] } },
    select: { id: true },
  });
  const invitations = await testDb().invitation.findMany({
    where: { workspaceId: { in: [a.id, b.id] } },
    select: { id: true },
  });
  const notifications = await testDb().notification.findMany({ select: { id: true } });
  const page = await ownerA.task.list({ workspaceSlug: a.slug, limit: 2 });
  const feed = await ownerA.activity.feed({ workspaceSlug: a.slug, limit: 2 });
  const taskIds = [...tasksA.map((t) => t.id), taskB.id];
  pools = {
    workspaceSlug: [a.slug, a.slug, a.slug, b.slug],
    slug: [a.slug, `fresh-${a.slug}`],
    projectId: [webA.id, opsA.id, webB.id],
    taskId: taskIds,
    afterTaskId: taskIds,
    labelId: [labelA.id, labelB.id],
    commentId: [commentA.id, commentB.id],
    memberId: memberships.map((m) => m.id),
    assigneeId: [a.owner.id, member.id, viewer.id, b.owner.id],
    invitationId: invitations.map((i) => i.id),
    notificationId: notifications.map((n) => n.id),
    token: [tokenA, tokenB],
    key: ["WEB", "OPS", "NOPE"],
    ref: ["WEB-1", "OPS-2", "WEB-99"],
    cursor: [page.nextCursor, feed.nextCursor].filter((c): c is string => Boolean(c)),
    email: [outsider.email, member.email, "new-person@example.test"],
    q: ["fuzz", "bold", "task 3", "<b>", "WEB-1", "bug"],
    title: ["A title", "<script>alert(1)</script>"],
    name: ["Renamed", "bug"],
    color: ["#123456", "#ABCDEF"],
  };
  const as = (name: string, user: TestUser | null) => ({
    name,
    call: (path: string) => resolve(callerFor(user), path),
  });
  // Members twice as often as outsiders: most calls should get past authorization.
  callers = [
    as("owner", a.owner),
    as("owner", a.owner),
    as("admin", admin),
    as("member", member),
    as("member", member),
    as("viewer", viewer),
    as("outsider", outsider),
    as("anonymous", null),
  ];
});

/** Fails unless `error` is an API error with a 4xx status and a clean, formatted body. */
function assertClientError(path: string, callerName: string, input: unknown, error: unknown): void {
  const where = `${path} as ${callerName} with ${safeJson(input)}`;
  if (!(error instanceof TRPCError))
    throw new Error(`${where} threw a non-API error: ${String(error)}`, { cause: error });
  const status = getHTTPStatusCodeFromError(error);
  const formatted = formatErrorData(error, status, null);
  outcomes.set(error.code, (outcomes.get(error.code) ?? 0) + 1);
  if (status >= 500)
    throw new Error(`${where} answered ${status} ${error.code}: ${String(error.cause ?? error.message)}`, {
      cause: error,
    });
  expect(JSON.stringify(formatted), where).not.toMatch(/prisma|SELECT |invalid byte sequence|stack size/i);
}

function safeJson(value: unknown): string {
  try {
    return (
      JSON.stringify(value, (_, v: unknown) =>
        typeof v === "string" && v.length > 80 ? `${v.slice(0, 40)}…(${v.length} chars)` : v,
      )?.slice(0, 600) ?? "undefined"
    );
  } catch {
    return String(value);
  }
}

describe("every procedure, thousands of generated inputs, every kind of caller: never a 5xx", () => {
  it("discovers the whole API from the router", () => {
    expect(procedures.length).toBeGreaterThanOrEqual(40);
  });

  it.each(procedures.map(([path, procedure]) => [path, procedure] as const))("%s", async (path, procedure) => {
    const schema = procedure._def.inputs[0];
    const input = schema ? inputsFor(schema, pools) : fc.anything();
    await fc.assert(
      fc.asyncProperty(input, fc.integer({ min: 0, max: callers.length - 1 }), async (value, who) => {
        const caller = callers[who]!;
        try {
          await caller.call(path)(value);
          outcomes.set("ok", (outcomes.get("ok") ?? 0) + 1);
        } catch (error) {
          assertClientError(path, caller.name, value, error);
        }
      }),
      { seed: SEED, numRuns: RUNS_PER_PROCEDURE, endOnFailure: true },
    );
  });

  it("reached the services, not only the validators", () => {
    const total = [...outcomes.values()].reduce((a, b) => a + b, 0);
    const share = (code: string) => (outcomes.get(code) ?? 0) / total;
    console.info(`fuzz: ${total} calls`, Object.fromEntries([...outcomes].sort((x, y) => y[1] - x[1])));
    expect(total).toBe(procedures.length * RUNS_PER_PROCEDURE);
    // A healthy mix: real successes, and the authorization and lookup paths, not just 400s.
    expect(share("ok")).toBeGreaterThan(0.1);
    expect(share("NOT_FOUND")).toBeGreaterThan(0.03);
    expect(share("FORBIDDEN") + share("UNAUTHORIZED")).toBeGreaterThan(0.03);
  });
});
