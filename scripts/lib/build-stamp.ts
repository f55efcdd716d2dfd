/**
 * Is the production build current? `npm run app` builds only on the first run
 * and after the sources changed: a SHA-256 over the files that shape the build
 * is stored beside Next's BUILD_ID (`<distDir>/lanes-build.json`) and compared.
 * Contents, not mtimes: a checkout or `git stash` touches files without changing them.
 */
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

/** Directories whose every file goes into the build. */
const SOURCE_DIRS = ["src", "public"];
/** Single files that change what is built. */
const SOURCE_FILES = [
  "prisma/schema.prisma",
  "next.config.ts",
  "postcss.config.mjs",
  "package.json",
  "package-lock.json",
];
/** Derived from prisma/schema.prisma (hashed above) and rewritten by every `prisma generate`. */
const SKIPPED = [path.join("src", "server", "db", "generated")];

function filesUnder(root: string, dir: string, out: string[]): void {
  const full = path.join(root, dir);
  if (!existsSync(full)) return;
  for (const entry of readdirSync(full, { withFileTypes: true })) {
    const relative = path.join(dir, entry.name);
    if (SKIPPED.includes(relative)) continue;
    if (entry.isDirectory()) filesUnder(root, relative, out);
    else if (entry.isFile()) out.push(relative);
  }
}

/**
 * tsconfig.json's compiler options only: `next dev` adds its own dist dir's
 * types to "include", which must not force a rebuild.
 */
function compilerOptions(root: string): string {
  try {
    const parsed = JSON.parse(readFileSync(path.join(root, "tsconfig.json"), "utf8")) as { compilerOptions?: unknown };
    return JSON.stringify(parsed.compilerOptions ?? null);
  } catch {
    return "unreadable";
  }
}

export function sourceHash(root: string): string {
  const files: string[] = [];
  for (const dir of SOURCE_DIRS) filesUnder(root, dir, files);
  for (const file of SOURCE_FILES) if (existsSync(path.join(root, file))) files.push(file);
  const hash = createHash("sha256");
  for (const file of files.sort()) {
    hash.update(`${file.split(path.sep).join("/")}\0`);
    hash.update(readFileSync(path.join(root, file)));
    hash.update("\0");
  }
  hash.update(compilerOptions(root));
  return hash.digest("hex");
}

type Stamp = { sourceHash: string; buildId: string };

function stampFile(root: string, distDir: string): string {
  return path.join(root, distDir, "lanes-build.json");
}

function readBuildId(root: string, distDir: string): string | null {
  const dir = path.join(root, distDir);
  // A failed build can leave BUILD_ID without the prerender manifest.
  if (!existsSync(path.join(dir, "prerender-manifest.json"))) return null;
  try {
    return readFileSync(path.join(dir, "BUILD_ID"), "utf8").trim();
  } catch {
    return null;
  }
}

/** Writes the stamp after a successful `next build` of sources with `hash`. */
export function recordBuild(root: string, distDir: string, hash: string): void {
  const buildId = readBuildId(root, distDir);
  if (!buildId) throw new Error(`next build left no complete build in ${distDir}/`);
  const stamp: Stamp = { sourceHash: hash, buildId };
  writeFileSync(stampFile(root, distDir), `${JSON.stringify(stamp, null, 2)}\n`);
}

/** True when `distDir` holds a complete build made by `recordBuild` from the current sources. */
export function buildIsCurrent(root: string, distDir: string): boolean {
  const buildId = readBuildId(root, distDir);
  if (!buildId) return false;
  try {
    const stamp = JSON.parse(readFileSync(stampFile(root, distDir), "utf8")) as Partial<Stamp>;
    return stamp.buildId === buildId && stamp.sourceHash === sourceHash(root);
  } catch {
    return false;
  }
}
