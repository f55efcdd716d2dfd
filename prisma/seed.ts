/**
 * Demo data so the app looks alive on first start: the "acme" workspace, two
 * people, three projects, a few hundred tasks with labels, comments and history.
 *
 *   npm run db:seed              idempotent: adds what is missing, never duplicates
 *   tsx prisma/seed.ts --if-empty   only on a database with no users (first start)
 *
 * Deterministic (seeded PRNG) so every fresh install shows the same board.
 */
import { generateNKeysBetween } from "fractional-indexing";
import { createDb } from "../src/server/db/client";
import { recordActivity } from "../src/server/db/activity";
import type { Prisma, TaskPriority, TaskStatus } from "../src/server/db/generated/client";
import { assignInitialHandle } from "../src/server/services/users";

const url = process.env.DATABASE_URL;
if (!url) throw new Error("DATABASE_URL is not set (run through `npm run db:seed`)");
const db = createDb(url, 1);

function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}
const random = prng(42);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

const VERBS = [
  "Fix",
  "Add",
  "Refactor",
  "Document",
  "Speed up",
  "Redesign",
  "Test",
  "Remove",
  "Migrate",
  "Investigate",
  "Polish",
  "Automate",
];
const THINGS = [
  "login page",
  "signup flow",
  "billing webhook",
  "search ranking",
  "dark mode",
  "CSV export",
  "rate limiter",
  "onboarding email",
  "deployment pipeline",
  "error pages",
  "mobile layout",
  "audit log",
  "API pagination",
  "password reset",
  "image uploads",
  "cache invalidation",
  "keyboard shortcuts",
  "notification settings",
  "database backups",
  "release notes",
];
const DETAILS = [
  "Customers reported this twice this week. Repro steps are in the support thread.",
  "We should measure before and after; the dashboard has a panel for it.",
  "Blocked on the design review, but the backend part can start now.",
  "Keep the old behaviour behind a flag until the next release.",
  "See the RFC in the wiki. The **open question** is how we handle retries.",
  "- [ ] write the migration\n- [ ] update the docs\n- [ ] announce in #eng",
];
const COMMENTS = [
  "I can take this one after the release.",
  "@bob can you review the approach before I start?",
  "Deployed to staging; looks good so far.",
  "This also affects the `v1` API, so let's coordinate with @alice.",
  "Found the root cause: a missing index on the events table.",
  "Moving this to next cycle, not enough time.",
];
const STATUSES: TaskStatus[] = ["BACKLOG", "TODO", "TODO", "IN_PROGRESS", "IN_REVIEW", "DONE", "DONE", "CANCELED"];
const PRIORITIES: TaskPriority[] = ["NONE", "LOW", "MEDIUM", "MEDIUM", "HIGH", "URGENT"];
const LABELS = [
  { name: "bug", color: "#ef4444" },
  { name: "feature", color: "#3b82f6" },
  { name: "design", color: "#a855f7" },
  { name: "infra", color: "#f59e0b" },
  { name: "docs", color: "#10b981" },
];
const PROJECTS = [
  { key: "WEB", name: "Website", description: "The marketing site and web app.", tasks: 160 },
  { key: "API", name: "Public API", description: "REST and typed API for integrations.", tasks: 100 },
  { key: "OPS", name: "Operations", description: "Infrastructure, on-call and releases.", tasks: 60 },
];

async function ensureUser(email: string, name: string) {
  const user = await db.user.upsert({
    where: { email },
    update: {},
    create: { email, name, emailVerified: new Date() },
    select: { id: true, email: true, name: true, handle: true },
  });
  if (!user.handle) await assignInitialHandle(db, user);
  return user;
}

async function seed(): Promise<void> {
  const alice = await ensureUser("alice@example.com", "Alice Example");
  const bob = await ensureUser("bob@example.com", "Bob Example");
  const workspace = await db.workspace.upsert({
    where: { slug: "acme" },
    update: {},
    create: { slug: "acme", name: "Acme" },
    select: { id: true },
  });
  for (const [userId, role] of [
    [alice.id, "OWNER"],
    [bob.id, "MEMBER"],
  ] as const) {
    await db.membership.upsert({
      where: { workspaceId_userId: { workspaceId: workspace.id, userId } },
      update: {},
      create: { workspaceId: workspace.id, userId, role },
    });
  }
  for (const label of LABELS) {
    await db.label.upsert({
      where: { workspaceId_name: { workspaceId: workspace.id, name: label.name } },
      update: {},
      create: { workspaceId: workspace.id, ...label },
    });
  }
  const labels = await db.label.findMany({ where: { workspaceId: workspace.id }, select: { id: true } });
  const people = [alice.id, bob.id];
  const start = Date.now() - 60 * 24 * 3600 * 1000;

  for (const spec of PROJECTS) {
    const existing = await db.project.findUnique({
      where: { workspaceId_key: { workspaceId: workspace.id, key: spec.key } },
      select: { id: true },
    });
    if (existing) continue; // idempotent: a project's demo tasks are created once, with it
    await db.$transaction(async (tx) => {
      const project = await tx.project.create({
        data: {
          workspaceId: workspace.id,
          key: spec.key,
          name: spec.name,
          description: spec.description,
          taskCounter: spec.tasks,
        },
        select: { id: true },
      });
      const positions = generateNKeysBetween(null, null, spec.tasks);
      const tasks: Prisma.TaskCreateManyInput[] = [];
      for (let n = 1; n <= spec.tasks; n++) {
        const status = pick(STATUSES);
        const createdAt = new Date(start + (n * (50 * 24 * 3600 * 1000)) / spec.tasks);
        tasks.push({
          id: `seed-${spec.key.toLowerCase()}-${n}`,
          workspaceId: workspace.id,
          projectId: project.id,
          number: n,
          title: `${pick(VERBS)} ${pick(THINGS)}`,
          description: random() < 0.7 ? pick(DETAILS) : "",
          status,
          priority: pick(PRIORITIES),
          assigneeId: random() < 0.75 ? pick(people) : null,
          creatorId: pick(people),
          dueDate: random() < 0.35 ? new Date(Date.UTC(2026, 10, 1 + Math.floor(random() * 60))) : null,
          position: positions[n - 1]!,
          completedAt: status === "DONE" || status === "CANCELED" ? createdAt : null,
          createdAt,
          updatedAt: createdAt,
        });
      }
      await tx.task.createMany({ data: tasks });
      await tx.taskLabel.createMany({
        data: tasks.flatMap((t) => (random() < 0.6 ? [{ taskId: t.id!, labelId: pick(labels).id }] : [])),
        skipDuplicates: true,
      });
      await tx.comment.createMany({
        data: tasks.flatMap((t) =>
          random() < 0.4
            ? [
                {
                  workspaceId: workspace.id,
                  taskId: t.id!,
                  authorId: pick(people),
                  body: pick(COMMENTS),
                  createdAt: new Date((t.createdAt as Date).getTime() + 3_600_000),
                },
              ]
            : [],
        ),
      });
      await recordActivity(
        tx,
        ...tasks.map((t) => ({
          workspaceId: workspace.id,
          actorId: t.creatorId ?? null,
          action: "task.created",
          entityType: "task",
          entityId: t.id!,
          taskId: t.id!,
          after: { title: t.title, status: t.status },
          createdAt: t.createdAt as Date,
        })),
      );
    });
  }
}

async function main(): Promise<void> {
  if (process.argv.includes("--if-empty") && (await db.user.count()) > 0) return;
  const started = Date.now();
  await seed();
  process.stderr.write(
    `[seed] demo workspace "acme" ready (alice@example.com, bob@example.com) in ${Date.now() - started} ms\n`,
  );
}

main()
  .finally(() => db.$disconnect())
  .catch((error: unknown) => {
    process.stderr.write(`[seed] failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
