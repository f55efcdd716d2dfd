/**
 * `prisma generate`, but only when its output would change.
 *
 * The generated client lives in src/server/db/generated (the app imports it,
 * so it must be inside the bundled tree). `prisma generate` rewrites every file
 * there even when nothing changed, and a running `next dev` treats that as an
 * edit: each rewrite costs a rebuild ("[Fast Refresh] rebuilding") in every
 * open tab. `npm run dev`, `npm test`, `npm run typecheck` and `npm run build`
 * all generate first, so they used to disturb a dev server running beside them.
 * The inputs (schema, config, Prisma's version) are hashed into a stamp inside
 * the output directory; a missing directory or a different hash regenerates.
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

const OUTPUT = path.join("src", "server", "db", "generated");
const STAMP = ".lanes-generate-hash";
const INPUTS = [
  "prisma/schema.prisma",
  "prisma.config.ts",
  "node_modules/prisma/package.json",
  "node_modules/@prisma/client/package.json",
];

function inputsHash(root: string): string {
  const hash = createHash("sha256");
  for (const file of INPUTS) {
    const full = path.join(root, file);
    hash.update(`${file}\0`);
    hash.update(existsSync(full) ? readFileSync(full) : "missing");
    hash.update("\0");
  }
  return hash.digest("hex");
}

function isCurrent(root: string, hash: string): boolean {
  const output = path.join(root, OUTPUT);
  try {
    return existsSync(path.join(output, "client.ts")) && readFileSync(path.join(output, STAMP), "utf8").trim() === hash;
  } catch {
    return false;
  }
}

/** Runs `prisma generate` unless the generated client is already of the current schema; true when it ran. */
export async function generateIfChanged(root: string): Promise<boolean> {
  const hash = inputsHash(root);
  if (isCurrent(root, hash)) return false;
  const code = await new Promise<number>((resolve, reject) => {
    const child = spawn(path.join(root, "node_modules", ".bin", "prisma"), ["generate"], {
      cwd: root,
      stdio: "inherit",
    });
    child.once("error", reject);
    child.once("exit", (exitCode) => resolve(exitCode ?? 1));
  });
  if (code !== 0) throw new Error("prisma generate failed");
  writeFileSync(path.join(root, OUTPUT, STAMP), `${hash}\n`);
  return true;
}
