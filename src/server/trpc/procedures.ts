/**
 * The three kinds of procedure. Every procedure in src/server/routers starts
 * from one of these, so its authorization decision is visible where it is defined:
 *   publicProcedure                    anyone
 *   authedProcedure                    a signed-in person (not an API key: keys act only in their workspace)
 *   operatorProcedure                  a signed-in person listed in ADMIN_EMAILS (the installation's operators)
 *   workspaceProcedure("task.create")  a member whose role has that permission, or an API key of that
 *                                      workspace whose role (scopes capped by its creator's) has it
 */
import { z } from "zod";
import { baseProcedure, t } from "./init";
import { toTRPCError } from "./errors";
import { AppError } from "@/server/errors";
import { can, highestScope, keyRole, PERSON_ONLY, type Permission, type Role } from "@/shared/roles";
import { workspaceSlugSchema } from "@/shared/schemas/common";
import { membershipBySlug, type CallerMembership } from "@/server/cache/lookups";
import type { UserContext, WorkspaceContext } from "@/server/services/context";
import type { ApiKeyCaller } from "@/server/services/api-keys";
import { findUserById } from "@/server/db/users";
import { env } from "@/server/env";
import type { Db } from "@/server/db/client";
import { pinToPrimary, readFromReplica, type ReadPin } from "@/server/db/replicas";

export const publicProcedure = baseProcedure;

/**
 * Runs the rest of a call with the database its data is read from: for a query, a read replica when
 * one should serve it (src/server/db/replicas.ts: not right after the caller wrote, not when down —
 * then again on the primary); for anything else, the primary. Authorization above always reads the primary.
 * The request's pin keeps its queries on one source; after a write, on the primary.
 */
function withDataDb<R extends { ok: boolean }>(
  type: "query" | "mutation" | "subscription",
  primary: Db,
  userId: string,
  pin: ReadPin,
  run: (db: Db) => Promise<R>,
): Promise<R> {
  if (type === "mutation") pinToPrimary(pin);
  if (type !== "query") return run(primary);
  return readFromReplica(
    primary,
    userId,
    run,
    (result) => (!result.ok && "error" in result && result.error instanceof Error ? result.error.cause : undefined),
    pin,
  );
}

/** A person or an API key. */
const signedInProcedure = baseProcedure.use(({ ctx, next }) => {
  // Said to people in a browser and to scripts alike (tRPC and REST reach this one check).
  if (!ctx.viewer)
    throw toTRPCError(new AppError("UNAUTHORIZED", "Sign in, or send an API key: Authorization: Bearer lanes_…"));
  return next({ ctx: { ...ctx, viewer: ctx.viewer } });
});

export const authedProcedure = signedInProcedure.use(({ ctx, type, next }) => {
  if (ctx.viewer.apiKey)
    throw toTRPCError(AppError.forbidden("API keys work only inside their workspace; this needs a signed-in person"));
  const { userId } = ctx.viewer;
  return withDataDb(type, ctx.db, userId, ctx.readPin, (db) => {
    const user: UserContext = { db, userId, requestId: ctx.requestId, log: ctx.log };
    return next({ ctx: { ...ctx, user } });
  });
});

/** The installation's operators (ADMIN_EMAILS): jobs of every workspace. Never an API key. */
export const operatorProcedure = authedProcedure.use(async ({ ctx, next }) => {
  const user = await findUserById(ctx.db, ctx.user.userId);
  if (!user || !env().ADMIN_EMAILS.includes(user.email.toLowerCase()))
    throw toTRPCError(AppError.forbidden("Only this installation's operators (ADMIN_EMAILS) can do this"));
  return next();
});

/**
 * The role a call acts with (a member's own role; for a key, its scopes' role capped by its
 * creator's), or the refusal.
 */
function decide(
  membership: CallerMembership | null,
  key: ApiKeyCaller | undefined,
  permission: Permission,
): { membership: CallerMembership; role: Role } {
  if (!key) {
    if (!membership) throw toTRPCError(AppError.notFound("Workspace"));
    if (!can(membership.role, permission)) throw toTRPCError(AppError.forbidden());
    return { membership, role: membership.role };
  }
  if (!membership)
    throw toTRPCError(
      new AppError("UNAUTHORIZED", `This API key (${key.prefix}) stopped working: its creator is no longer a member`),
    );
  if (PERSON_ONLY.has(permission))
    throw toTRPCError(AppError.forbidden("API keys cannot do this; it needs a signed-in person"));
  const role = keyRole(key.scopes, membership.role);
  if (!role || !can(role, permission))
    throw toTRPCError(
      AppError.forbidden(`This API key's scope (${highestScope(key.scopes) ?? "none"}) does not allow this`),
    );
  return { membership, role };
}

const slugOnly = z.object({ workspaceSlug: workspaceSlugSchema });

/**
 * Loads the caller's membership of `input.workspaceSlug` once per call and
 * checks `permission` against the permission table. Not a member → NOT_FOUND
 * (another tenant's workspace is indistinguishable from a missing one); an API key
 * of another workspace → NOT_FOUND too.
 */
export function workspaceProcedure(permission: Permission) {
  return signedInProcedure.use(async ({ ctx, type, getRawInput, next }) => {
    const parsed = slugOnly.safeParse(await getRawInput());
    if (!parsed.success) {
      throw toTRPCError(AppError.badRequest("Invalid input", { workspaceSlug: ["Required: the workspace's address"] }));
    }
    const key = ctx.viewer.apiKey;
    // A key's own workspace only; any other is answered as for a non-member.
    if (key && key.workspaceSlug !== parsed.data.workspaceSlug) throw toTRPCError(AppError.notFound("Workspace"));
    const found = await membershipBySlug(ctx.db, ctx.viewer.userId, parsed.data.workspaceSlug);
    const { membership, role } = decide(found, key, permission);
    const { userId } = ctx.viewer;
    return withDataDb(type, ctx.db, userId, ctx.readPin, (db) => {
      const scope: WorkspaceContext = {
        db,
        userId,
        role,
        ...(key ? { apiKey: { id: key.id, name: key.name, prefix: key.prefix } } : {}),
        membershipId: membership.id,
        workspace: membership.workspace,
        requestId: ctx.requestId,
        log: ctx.log,
      };
      return next({ ctx: { ...ctx, scope } });
    });
  });
}

export { t };
