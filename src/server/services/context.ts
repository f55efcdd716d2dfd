/**
 * What a service needs to act inside a workspace. Built by workspaceProcedure
 * (and later by the REST/API-key entry point); services never see HTTP.
 */
import type { Db } from "@/server/db/client";
import type { Logger } from "@/server/observability/logger";
import type { Role } from "@/shared/roles";

export type WorkspaceContext = {
  db: Db;
  /** The person acting: the signed-in member, or the creator of the API key in use. */
  userId: string;
  /** What they may do here: their role, or for a key the lower of its scopes' role and its creator's. */
  role: Role;
  /** Set when the caller is an API key: changes are recorded as made with it. */
  apiKey?: { id: string; name: string; prefix: string };
  membershipId: string;
  workspace: { id: string; slug: string; name: string; createdAt: Date };
  requestId: string;
  log: Logger;
};

/** A signed-in user outside any workspace (creating one, accepting an invitation). */
export type UserContext = {
  db: Db;
  userId: string;
  requestId: string;
  log: Logger;
};
