import { defineConfig } from "prisma/config";

// DATABASE_URL is set by the caller: `.env`, the shell, or the launcher (scripts/lanes.ts,
// behind `npm run app`/`dev`/`start` and the `db:*` scripts), which points it at the embedded
// PostgreSQL in .data/ when no URL is configured (docs/decisions/0022-embedded-postgresql.md).
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
