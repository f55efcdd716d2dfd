-- Presence (decision 0036): who has a task open now. Changes are announced on the lanes_presence
-- channel by the service ("<workspaceId>:<taskId>"), not by a trigger: a heartbeat that only
-- refreshes seenAt announces nothing.
CREATE TABLE "TaskViewer" (
    "taskId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "tabId" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "seenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TaskViewer_pkey" PRIMARY KEY ("taskId","userId","tabId")
);

CREATE INDEX "TaskViewer_seenAt_idx" ON "TaskViewer"("seenAt");

ALTER TABLE "TaskViewer" ADD CONSTRAINT "TaskViewer_taskId_fkey" FOREIGN KEY ("taskId") REFERENCES "Task"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "TaskViewer" ADD CONSTRAINT "TaskViewer_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "TaskViewer" ADD CONSTRAINT "TaskViewer_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;
