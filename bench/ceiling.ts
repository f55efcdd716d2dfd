/**
 * The raw ceiling for the HTTP throughput benchmark: a plain node:http server with one `pg` pool
 * (the same size as Lanes'), answering the first page of a project's tasks with the same rows
 * Lanes' `task.list` returns (task, project key, assignee, labels) as JSON. No framework, no
 * validation, no ORM: what the hardware and PostgreSQL allow one Node process to serve.
 *
 *   GET /list?workspaceId=…&projectId=…   the page's query only
 *   GET /list-authed?workspace=slug&projectId=… with the session cookie: the session lookup, the
 *                                          membership lookup, then the page (what every Lanes call pays)
 *
 *   DATABASE_URL=… PORT=… tsx bench/ceiling.ts      (started by bench/throughput.ts)
 */
import { createServer, type ServerResponse } from "node:http";
import pg from "pg";

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.POOL_SIZE ?? 10) });

// One statement for the page, as Prisma's relation joins build it: the task row with its project's
// key, the assignee and the labels aggregated per row; newest first, keyset on (createdAt, id).
const PAGE_SQL = `
  SELECT t.id, t.number, t."projectId", t.title, t.status, t.priority, t."dueDate", t.position, t.version,
         t."createdAt", t."updatedAt", p.key AS "projectKey",
         CASE WHEN u.id IS NULL THEN NULL
              ELSE json_build_object('id', u.id, 'name', u.name, 'email', u.email, 'image', u.image, 'handle', u.handle)
         END AS assignee,
         COALESCE((SELECT json_agg(json_build_object('id', l.id, 'name', l.name, 'color', l.color) ORDER BY l.name)
                     FROM "TaskLabel" tl JOIN "Label" l ON l.id = tl."labelId" WHERE tl."taskId" = t.id), '[]') AS labels
    FROM "Task" t
    JOIN "Project" p ON p.id = t."projectId"
    LEFT JOIN "User" u ON u.id = t."assigneeId"
   WHERE t."workspaceId" = $1 AND t."deletedAt" IS NULL AND t."projectId" = $2
   ORDER BY t."createdAt" DESC, t.id DESC
   LIMIT 51`;

const SESSION_SQL = `SELECT "userId" FROM "Session" WHERE "sessionToken" = $1 AND expires > now()`;
const MEMBERSHIP_SQL = `
  SELECT m.id, m.role, w.id AS "workspaceId" FROM "Membership" m JOIN "Workspace" w ON w.id = m."workspaceId"
   WHERE w.slug = $1 AND m."userId" = $2`;

type PageRow = { id: string; number: number; projectKey: string; dueDate: Date | null; createdAt: Date };

async function page(workspaceId: string, projectId: string): Promise<unknown> {
  const { rows } = await pool.query<PageRow>(PAGE_SQL, [workspaceId, projectId]);
  const items = rows.slice(0, 50).map((row) => ({
    ...row,
    ref: `${row.projectKey}-${row.number}`,
    dueDate: row.dueDate ? row.dueDate.toISOString().slice(0, 10) : null,
  }));
  const last = items.at(-1);
  const nextCursor =
    rows.length > 50 && last
      ? Buffer.from(JSON.stringify({ s: "created", d: "desc", v: last.createdAt, id: last.id })).toString("base64url")
      : null;
  return { items, nextCursor };
}

function sessionToken(cookie: string | undefined): string | null {
  const match = /(?:^|;\s*)authjs\.session-token=([^;]+)/.exec(cookie ?? "");
  return match?.[1] ?? null;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const json = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(json) });
  res.end(json);
}

const server = createServer((req, res) => {
  const url = new URL(req.url ?? "/", "http://ceiling");
  const projectId = url.searchParams.get("projectId") ?? "";
  const answer = async (): Promise<void> => {
    if (url.pathname === "/list") {
      send(res, 200, await page(url.searchParams.get("workspaceId") ?? "", projectId));
    } else if (url.pathname === "/list-authed") {
      const token = sessionToken(req.headers.cookie);
      const session = token ? (await pool.query<{ userId: string }>(SESSION_SQL, [token])).rows[0] : undefined;
      if (!session) return send(res, 401, { error: "unauthorized" });
      const { rows } = await pool.query<{ workspaceId: string }>(MEMBERSHIP_SQL, [
        url.searchParams.get("workspace") ?? "",
        session.userId,
      ]);
      if (!rows[0]) return send(res, 404, { error: "not found" });
      send(res, 200, await page(rows[0].workspaceId, projectId));
    } else if (url.pathname === "/health") {
      send(res, 200, { ok: true });
    } else {
      send(res, 404, { error: "not found" });
    }
  };
  answer().catch((error: unknown) => send(res, 500, { error: String(error) }));
});

server.listen(Number(process.env.PORT ?? 3999), "127.0.0.1", () => process.stdout.write("ceiling ready\n"));
process.on("SIGTERM", () => server.close(() => void pool.end().finally(() => process.exit(0))));
