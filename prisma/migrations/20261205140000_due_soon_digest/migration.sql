-- The daily due-soon digest (src/server/services/due-digest.ts): who wants it, and when it last went out.
ALTER TABLE "User" ADD COLUMN "emailOnDueSoon" BOOLEAN NOT NULL DEFAULT true,
                   ADD COLUMN "dueDigestSentOn" DATE;
