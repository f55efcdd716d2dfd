import { defineConfig } from "prisma/config";

// DATABASE_URL is set by the caller: `.env`, the shell, or scripts/with-db.ts,
// which points it at the embedded database when no URL is configured.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: {
    path: "prisma/migrations",
    seed: "tsx prisma/seed.ts",
  },
  datasource: {
    url: process.env.DATABASE_URL ?? "",
  },
});
