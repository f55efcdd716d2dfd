/** `npm run db:purge`: deletes expired sessions, sign-in tokens, spent invitations and old captured mail now. */
import { createDb } from "../src/server/db/client";
import { purgeExpired } from "../src/server/services/maintenance";

const url = process.env.DATABASE_URL;
if (!url) throw new Error("DATABASE_URL is not set (run through `npm run db:purge`)");
const db = createDb(url, 1);
try {
  const report = await purgeExpired(db);
  process.stdout.write(
    report ? `purged: ${JSON.stringify(report)}\n` : "another process is purging right now; nothing done\n",
  );
} finally {
  await db.$disconnect();
}
