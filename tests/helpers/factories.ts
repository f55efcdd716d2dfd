/**
 * Test data built through the real services where a rule matters (workspaces,
 * projects, tasks) and through the data layer only for what Auth.js would do
 * (users). Every name is unique so test files never collide.
 */
import { randomBytes } from "node:crypto";
import { createCaller } from "@/server/routers/_app";
import { createInnerContext } from "@/server/trpc/context";
import type { ApiKeyScope, Role } from "@/shared/roles";
import { authenticateApiKey } from "@/server/services/api-keys";
import { assignInitialHandle } from "@/server/services/users";
import { testDb } from "../setup/file-db";

export function uid(): string {
  return randomBytes(4).toString("hex");
}

export type TestUser = { id: string; email: string; handle: string };

export async function makeUser(prefix = "user"): Promise<TestUser> {
  const email = `${prefix}-${uid()}@example.test`;
  const user = await testDb().user.create({
    data: { email, emailVerified: new Date() },
    select: { id: true, email: true },
  });
  const handle = await assignInitialHandle(testDb(), { id: user.id, email, name: null });
  return { ...user, handle };
}

/** A tRPC caller acting as this user (null: signed out). */
export function callerFor(user: TestUser | null) {
  return createCaller(createInnerContext({ db: testDb(), viewer: user ? { userId: user.id } : null }));
}

export type TestWorkspace = { id: string; slug: string; owner: TestUser };

export async function makeWorkspace(owner?: TestUser): Promise<TestWorkspace> {
  const o = owner ?? (await makeUser("owner"));
  const slug = `ws-${uid()}`;
  const ws = await callerFor(o).workspace.create({ name: `Workspace ${slug}`, slug });
  return { id: ws.id, slug: ws.slug, owner: o };
}

/** Adds a member directly (as an accepted invitation would). */
export async function addMember(workspace: TestWorkspace, role: Role, user?: TestUser): Promise<TestUser> {
  const u = user ?? (await makeUser(role.toLowerCase()));
  await testDb().membership.create({ data: { workspaceId: workspace.id, userId: u.id, role } });
  return u;
}

export async function makeProject(workspace: TestWorkspace, key = `P${uid().slice(0, 4).toUpperCase()}`) {
  return callerFor(workspace.owner).project.create({ workspaceSlug: workspace.slug, key, name: `Project ${key}` });
}

export async function makeTask(
  workspace: TestWorkspace,
  projectId: string,
  fields: {
    title?: string;
    status?: "BACKLOG" | "TODO" | "IN_PROGRESS" | "IN_REVIEW" | "DONE" | "CANCELED";
    description?: string;
  } = {},
  as?: TestUser,
) {
  return callerFor(as ?? workspace.owner).task.create({
    workspaceSlug: workspace.slug,
    projectId,
    title: fields.title ?? `Task ${uid()}`,
    status: fields.status,
    description: fields.description,
  });
}

/** A tRPC caller authenticated by an API key's secret, as a Bearer request would be. */
export async function callerForKey(secret: string) {
  const apiKey = await authenticateApiKey(testDb(), secret);
  return createCaller(createInnerContext({ db: testDb(), viewer: { userId: apiKey.createdById, apiKey } }));
}

/** Creates an API key through the real service, as `as` (default: the owner). */
export async function makeApiKey(
  workspace: TestWorkspace,
  scope: ApiKeyScope,
  options: { as?: TestUser; expiresInDays?: number; name?: string } = {},
) {
  return callerFor(options.as ?? workspace.owner).apiKey.create({
    workspaceSlug: workspace.slug,
    name: options.name ?? `${scope} key ${uid()}`,
    scope,
    expiresInDays: options.expiresInDays,
  });
}
