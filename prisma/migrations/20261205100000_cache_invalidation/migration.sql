-- Every change to a row the request cache holds (src/server/cache/cache.ts) is announced on the
-- channel lanes_cache with that entry's key, however it was made: by Lanes, in Prisma Studio or in
-- SQL. Each app process listens (src/server/cache/invalidation-listener.ts) and ends the entry.
-- NOTIFY is sent at commit, never for a rolled-back change. The keys must match `cacheKeys`.

CREATE FUNCTION lanes_cache_notify_membership() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  ws_slug text;
BEGIN
  -- During a workspace's deletion the row is already gone: its own trigger ends workspace:<slug>,
  -- and a membership entry is only used together with its workspace's.
  SELECT slug INTO ws_slug FROM "Workspace" WHERE id = OLD."workspaceId";
  IF ws_slug IS NOT NULL THEN
    PERFORM pg_notify('lanes_cache', 'member:' || ws_slug || ':' || OLD."userId");
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER "Membership_cache" AFTER UPDATE OR DELETE ON "Membership"
  FOR EACH ROW EXECUTE FUNCTION lanes_cache_notify_membership();

CREATE FUNCTION lanes_cache_notify_workspace() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('lanes_cache', 'workspace:' || OLD.slug);
  RETURN NULL;
END $$;

CREATE TRIGGER "Workspace_cache" AFTER UPDATE OR DELETE ON "Workspace"
  FOR EACH ROW EXECUTE FUNCTION lanes_cache_notify_workspace();

CREATE FUNCTION lanes_cache_notify_api_key() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('lanes_cache', 'apikey:' || OLD."secretHash");
  RETURN NULL;
END $$;

-- Not on "lastUsedAt": recording use must not end the entry it was read from.
CREATE TRIGGER "ApiKey_cache"
  AFTER UPDATE OF "name", "prefix", "secretHash", "scopes", "createdById", "workspaceId", "expiresAt",
    "revokedAt", "rateLimitPerMinute" OR DELETE ON "ApiKey"
  FOR EACH ROW EXECUTE FUNCTION lanes_cache_notify_api_key();

CREATE FUNCTION lanes_cache_notify_session() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Keyed by the token's SHA-256, as the app keys it: the token itself is never sent.
  PERFORM pg_notify('lanes_cache', 'session:' || encode(sha256(convert_to(OLD."sessionToken", 'UTF8')), 'hex'));
  RETURN NULL;
END $$;

CREATE TRIGGER "Session_cache" AFTER UPDATE OR DELETE ON "Session"
  FOR EACH ROW EXECUTE FUNCTION lanes_cache_notify_session();

CREATE FUNCTION lanes_cache_notify_status_counts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Kept by the triggers on "Task" (maintained counts): any task change, in Lanes or not.
  PERFORM pg_notify('lanes_cache', 'counts:' || COALESCE(NEW."workspaceId", OLD."workspaceId") || ':'
    || COALESCE(NEW."projectId", OLD."projectId"));
  RETURN NULL;
END $$;

CREATE TRIGGER "ProjectStatusCount_cache" AFTER INSERT OR UPDATE OR DELETE ON "ProjectStatusCount"
  FOR EACH ROW EXECUTE FUNCTION lanes_cache_notify_status_counts();
