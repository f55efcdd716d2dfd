-- Search ranks the newest comments first (docs/decisions/0010-search.md): an index to read them in that order.
-- CreateIndex
CREATE INDEX "Comment_workspaceId_createdAt_idx" ON "Comment"("workspaceId", "createdAt" DESC);


