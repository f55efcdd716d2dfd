-- A numbered event stream per workspace, for live updates (docs/decisions/0031-live-updates.md).
-- Each workspace's audit events get seq 1, 2, 3… in commit order: the change's transaction takes the
-- next numbers from WorkspaceEventCounter, whose row stays locked until it commits.

CREATE TABLE "WorkspaceEventCounter" (
    "workspaceId" TEXT NOT NULL,
    "lastSeq" BIGINT NOT NULL DEFAULT 0,
    CONSTRAINT "WorkspaceEventCounter_pkey" PRIMARY KEY ("workspaceId")
);

ALTER TABLE "WorkspaceEventCounter" ADD CONSTRAINT "WorkspaceEventCounter_workspaceId_fkey"
  FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Existing events are numbered in the order they were recorded.
ALTER TABLE "ActivityEvent" ADD COLUMN "seq" BIGINT;
UPDATE "ActivityEvent" e SET "seq" = n.seq
FROM (
  SELECT id, row_number() OVER (PARTITION BY "workspaceId" ORDER BY "createdAt", id) AS seq FROM "ActivityEvent"
) n
WHERE e.id = n.id;
ALTER TABLE "ActivityEvent" ALTER COLUMN "seq" SET NOT NULL;
CREATE UNIQUE INDEX "ActivityEvent_workspaceId_seq_key" ON "ActivityEvent"("workspaceId", "seq");

INSERT INTO "WorkspaceEventCounter" ("workspaceId", "lastSeq")
SELECT "workspaceId", max("seq") FROM "ActivityEvent" GROUP BY "workspaceId";

-- Each app process listens (src/server/live/hub.ts). NOTIFY is sent at commit, never for a change
-- that rolls back; the payload is "<workspaceId>:<seq>", the event itself is read from the table.
CREATE FUNCTION lanes_live_notify_event() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('lanes_events', NEW."workspaceId" || ':' || NEW."seq");
  RETURN NULL;
END $$;

CREATE TRIGGER "ActivityEvent_live" AFTER INSERT ON "ActivityEvent"
  FOR EACH ROW EXECUTE FUNCTION lanes_live_notify_event();

-- A person's inbox changed (a notification arrived, or was read): "<userId>:<workspaceId>".
CREATE FUNCTION lanes_live_notify_inbox() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  row_changed "Notification";
BEGIN
  IF TG_OP = 'DELETE' THEN row_changed := OLD; ELSE row_changed := NEW; END IF;
  PERFORM pg_notify('lanes_inbox', row_changed."userId" || ':' || row_changed."workspaceId");
  RETURN NULL;
END $$;

CREATE TRIGGER "Notification_live" AFTER INSERT OR UPDATE OF "readAt" OR DELETE ON "Notification"
  FOR EACH ROW EXECUTE FUNCTION lanes_live_notify_inbox();
