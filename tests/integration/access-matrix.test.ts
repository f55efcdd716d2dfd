/**
 * The tenant and role matrix: every procedure of the router, called by every kind of
 * caller — the four roles, a signed-in outsider, nobody, and API keys (each scope; one
 * whose creator was demoted; one of another workspace) — must meet exactly the decision
 * the permission table (src/shared/roles.ts) gives. The procedures' permissions are
 * written out here, apart from the routers, so a router line that changes its gate fails.
 *
 * Only the gate is under test: calls carry just `workspaceSlug`, so a call that passes
 * the gate ends at input validation (or succeeds, for inputs that need nothing else).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { TRPCError } from "@trpc/server";
import { appRouter } from "@/server/routers/_app";
import { can, keyRole, PERSON_ONLY, scopesUpTo, type Permission, type Role } from "@/shared/roles";
import { testDb } from "../setup/file-db";
import {
  addMember,
  callerFor,
  callerForKey,
  makeApiKey,
  makeWorkspace,
  type TestWorkspace,
} from "../helpers/factories";

process.env.RATE_LIMIT_DISABLED = "true";

type Gate =
  { kind: "workspace"; permission: Permission } | { kind: "person" } | { kind: "operator" } | { kind: "public" };
const ws = (permission: Permission): Gate => ({ kind: "workspace", permission });
const PERSON: Gate = { kind: "person" };
const PUBLIC: Gate = { kind: "public" };
/** The installation's operators (ADMIN_EMAILS): none of the callers here is one. */
const OPERATOR: Gate = { kind: "operator" };

const PROCEDURES: Record<string, Gate> = {
  "system.health": PUBLIC,
  "system.me": PUBLIC,
  "workspace.list": PERSON,
  "workspace.create": PERSON,
  "workspace.get": ws("workspace.read"),
  "workspace.rename": ws("workspace.update"),
  "member.list": ws("member.read"),
  "member.updateRole": ws("member.updateRole"),
  "member.remove": ws("member.remove"),
  "member.leave": ws("member.leave"),
  "invitation.list": ws("invitation.read"),
  "invitation.create": ws("member.invite"),
  "invitation.revoke": ws("invitation.revoke"),
  "invitation.peek": PUBLIC,
  "invitation.preview": PERSON,
  "invitation.accept": PERSON,
  "invitation.mine": PERSON,
  "invitation.acceptMine": PERSON,
  "project.list": ws("project.read"),
  "project.byKey": ws("project.read"),
  "project.create": ws("project.create"),
  "project.update": ws("project.update"),
  "project.setArchived": ws("project.archive"),
  "task.list": ws("task.read"),
  "task.statusCounts": ws("task.read"),
  "task.get": ws("task.read"),
  "task.byRef": ws("task.read"),
  "task.create": ws("task.create"),
  "task.update": ws("task.update"),
  "task.move": ws("task.update"),
  "task.delete": ws("task.delete"),
  "comment.list": ws("comment.read"),
  "comment.create": ws("comment.create"),
  "comment.update": ws("comment.editOwn"),
  "comment.delete": ws("comment.deleteOwn"),
  "label.list": ws("label.read"),
  "label.create": ws("label.manage"),
  "label.update": ws("label.manage"),
  "label.delete": ws("label.manage"),
  "activity.feed": ws("activity.read"),
  "activity.forTask": ws("activity.read"),
  "search.tasks": ws("task.read"),
  "notification.list": ws("notification.own"),
  "notification.markRead": ws("notification.own"),
  "notification.emailPreferences": PERSON,
  "notification.setEmailPreferences": PERSON,
  "apiKey.list": ws("apiKey.read"),
  "apiKey.create": ws("apiKey.manage"),
  "apiKey.revoke": ws("apiKey.manage"),
  "live.position": ws("live.subscribe"),
  "live.workspace": ws("live.subscribe"),
  "presence.task": ws("presence.share"),
  "presence.view": ws("presence.share"),
  "presence.leave": ws("presence.share"),
  "admin.jobs": OPERATOR,
  "admin.retryJob": OPERATOR,
  "webhook.list": ws("webhook.read"),
  "webhook.create": ws("webhook.manage"),
  "webhook.update": ws("webhook.manage"),
  "webhook.rotateSecret": ws("webhook.manage"),
  "webhook.delete": ws("webhook.manage"),
  "webhook.deliveries": ws("webhook.read"),
  "webhook.replay": ws("webhook.manage"),
};

type Outcome = "passes" | "FORBIDDEN" | "NOT_FOUND" | "UNAUTHORIZED";
type Call = (input: unknown) => Promise<unknown>;
type Caller =
  | { name: string; kind: "person"; role: Role | "outsider" | "nobody"; call: (path: string) => Call }
  | { name: string; kind: "key"; role: Role | "other workspace"; call: (path: string) => Call };

/** The gate's refusals, told apart from refusals that come after it (business rules, missing records). */
const GATE_FORBIDDEN = [
  /^You do not have permission to do that$/,
  /^This API key's scope/,
  /^API keys cannot do this/,
  /^API keys work only inside/,
  /^Only this installation's operators/,
];

async function outcomeOf(call: Call, input: unknown): Promise<Outcome> {
  try {
    await call(input);
    return "passes";
  } catch (error) {
    if (!(error instanceof TRPCError)) throw error;
    if (error.code === "UNAUTHORIZED") return "UNAUTHORIZED";
    if (error.code === "NOT_FOUND" && error.message === "Workspace not found") return "NOT_FOUND";
    if (error.code === "FORBIDDEN" && GATE_FORBIDDEN.some((m) => m.test(error.message))) return "FORBIDDEN";
    return "passes";
  }
}

function expected(gate: Gate, caller: Caller): Outcome {
  const { role } = caller;
  if (gate.kind === "public") return "passes";
  if (role === "nobody") return "UNAUTHORIZED";
  if (gate.kind === "person") return caller.kind === "key" ? "FORBIDDEN" : "passes";
  if (gate.kind === "operator") return "FORBIDDEN";
  if (role === "outsider" || role === "other workspace") return "NOT_FOUND";
  if (caller.kind === "key" && PERSON_ONLY.has(gate.permission)) return "FORBIDDEN";
  return can(role, gate.permission) ? "passes" : "FORBIDDEN";
}

function resolver(caller: ReturnType<typeof callerFor>): (path: string) => Call {
  return (path) => {
    const [domain = "", name = ""] = path.split(".");
    return (caller as unknown as Record<string, Record<string, Call>>)[domain]![name]!;
  };
}

const paths = Object.keys(appRouter._def.procedures)
  // Last: it removes the caller from the workspace.
  .sort((a, b) => Number(a === "member.leave") - Number(b === "member.leave") || a.localeCompare(b));

let workspace: TestWorkspace;
let callers: Caller[] = [];

beforeAll(async () => {
  workspace = await makeWorkspace();
  const admin = await addMember(workspace, "ADMIN");
  const member = await addMember(workspace, "MEMBER");
  const viewer = await addMember(workspace, "VIEWER");
  const outsider = (await makeWorkspace()).owner;
  const other = await makeWorkspace();

  // An admin's admin key, then the admin is demoted: the key now acts as a member.
  const demoted = await addMember(workspace, "ADMIN");
  const demotedKey = await makeApiKey(workspace, "admin", { as: demoted });
  await testDb().membership.update({
    where: { workspaceId_userId: { workspaceId: workspace.id, userId: demoted.id } },
    data: { role: "MEMBER" },
  });

  const keyCaller = async (name: string, secret: string, role: Role | "other workspace"): Promise<Caller> => ({
    name,
    kind: "key",
    role,
    call: resolver(await callerForKey(secret)),
  });
  const scoped = async (scope: "read" | "write" | "admin") => {
    const { secret } = await makeApiKey(workspace, scope);
    return keyCaller(`${scope} key`, secret, keyRole(scopesUpTo(scope), "OWNER")!);
  };
  // Keys first: member.leave by a person (last) removes them, and with them the keys they made.
  callers = [
    await scoped("read"),
    await scoped("write"),
    await scoped("admin"),
    await keyCaller("admin key of a demoted admin", demotedKey.secret, "MEMBER"),
    await keyCaller("another workspace's key", (await makeApiKey(other, "admin")).secret, "other workspace"),
    { name: "owner", kind: "person", role: "OWNER", call: resolver(callerFor(workspace.owner)) },
    { name: "admin", kind: "person", role: "ADMIN", call: resolver(callerFor(admin)) },
    { name: "member", kind: "person", role: "MEMBER", call: resolver(callerFor(member)) },
    { name: "viewer", kind: "person", role: "VIEWER", call: resolver(callerFor(viewer)) },
    { name: "outsider", kind: "person", role: "outsider", call: resolver(callerFor(outsider)) },
    { name: "nobody", kind: "person", role: "nobody", call: resolver(callerFor(null)) },
  ];
});

describe("access matrix", () => {
  it("lists every procedure of the router", () => {
    expect([...paths].sort()).toEqual(Object.keys(PROCEDURES).sort());
  });

  it("gives every caller exactly the permission table's decision on every procedure", async () => {
    const mismatches: string[] = [];
    let checked = 0;
    for (const path of paths) {
      const gate = PROCEDURES[path]!;
      for (const caller of callers) {
        const got = await outcomeOf(caller.call(path), { workspaceSlug: workspace.slug });
        const want = expected(gate, caller);
        checked++;
        if (got !== want) mismatches.push(`${path} as ${caller.name}: ${got}, expected ${want}`);
      }
    }
    expect(mismatches).toEqual([]);
    expect(checked).toBe(paths.length * callers.length);
  });
});
