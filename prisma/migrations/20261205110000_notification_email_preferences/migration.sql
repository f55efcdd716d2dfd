-- Per-person choice of which notifications are also emailed (in-app ones always appear).
ALTER TABLE "User" ADD COLUMN "emailOnMention" BOOLEAN NOT NULL DEFAULT true,
                   ADD COLUMN "emailOnAssignment" BOOLEAN NOT NULL DEFAULT true;
