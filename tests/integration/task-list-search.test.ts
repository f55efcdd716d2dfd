/**
 * task.list with filter.q: complete text search (every match reachable by paging),
 * combined with every filter and sort, relevance order, and the usual access rules.
 * The property test compares whole result sequences with an oracle: the list without
 * q (same filter, same sort) keeping the tasks whose words match.
 */
import { beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { testDb } from "../setup/file-db";
import {
  addMember,
  callerFor,
  makeProject,
  makeTask,
  makeUser,
  makeWorkspace,
  uid,
  type TestUser,
  type TestWorkspace,
} from "../helpers/factories";
import { expectApiError } from "../helpers/errors";
import { encodeCursor } from "@/server/db/task-query";
import { searchWords } from "@/shared/search-words";
import type { TaskFilter } from "@/shared/schemas/task";
import { TASK_PRIORITIES, TASK_STATUSES } from "@/shared/tracker";

process.env.RATE_LIMIT_DISABLED = "true";

type Caller = ReturnType<typeof callerFor>;
type ListInput = Parameters<Caller["task"]["list"]>[0];

/** Every page of a list, in order (and the number of pages it took). */
async function allPages(caller: Caller, input: ListInput): Promise<{ ids: string[]; pages: number }> {
  const ids: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const page = await caller.task.list({ ...input, cursor });
    ids.push(...page.items.map((t) => t.id));
    cursor = page.nextCursor;
    pages++;
    if (pages > 500) throw new Error("paging does not end");
  } while (cursor);
  return { ids, pages };
}

async function listIds(caller: Caller, slug: string, q: string, rest: Partial<ListInput> = {}): Promise<string[]> {
  return (await allPages(caller, { workspaceSlug: slug, limit: 100, ...rest, filter: { ...rest.filter, q } })).ids;
}

describe("filter.q: what it finds", () => {
  let ws: TestWorkspace;
  let member: TestUser;
  let project: { id: string; key: string };

  beforeAll(async () => {
    ws = await makeWorkspace();
    member = await addMember(ws, "MEMBER");
    project = await makeProject(ws);
  });

  it("finds text written as markup: <script>alert(1)</script> by script and alert, a<b>c by each letter", async () => {
    const script = await makeTask(ws, project.id, { title: "<script>alert(1)</script>" });
    const abc = await makeTask(ws, project.id, { title: "a<b>c" });
    const html = await makeTask(ws, project.id, {
      title: "Plain",
      description: "<p>Hello <b>wombatical</b> &amp; <a href='x'>friends</a></p>",
    });
    const api = callerFor(member);
    expect(await listIds(api, ws.slug, "script")).toEqual([script.id]);
    expect(await listIds(api, ws.slug, "alert")).toEqual([script.id]);
    expect(await listIds(api, ws.slug, "<script>")).toEqual([script.id]);
    expect(await listIds(api, ws.slug, "a b c")).toEqual([abc.id]);
    expect(await listIds(api, ws.slug, "a<b>c")).toEqual([abc.id]);
    expect(await listIds(api, ws.slug, "wombatical friends")).toEqual([html.id]);
    // The palette reads the same vectors.
    expect((await api.search.tasks({ workspaceSlug: ws.slug, q: "alert" })).hits.map((h) => h.id)).toEqual([script.id]);
    expect((await api.search.tasks({ workspaceSlug: ws.slug, q: "b" })).hits.map((h) => h.id)).toContain(abc.id);
  });

  it("finds HTML written in comments, and words split between a title and a comment", async () => {
    const task = await makeTask(ws, project.id, { title: "Xylocarp review" });
    const api = callerFor(member);
    await api.comment.create({
      workspaceSlug: ws.slug,
      taskId: task.id,
      body: "<b>Quillback</b> &amp; <i>hedgewort</i> <script>snagglepuss()</script>",
    });
    expect(await listIds(api, ws.slug, "quillback")).toEqual([task.id]);
    expect(await listIds(api, ws.slug, "snagglepuss")).toEqual([task.id]);
    expect(await listIds(api, ws.slug, "xylocarp hedgewort")).toEqual([task.id]);
    expect((await api.search.tasks({ workspaceSlug: ws.slug, q: "snagglepuss" })).hits).toEqual([
      expect.objectContaining({ id: task.id, matchedIn: "comment" }),
    ]);
  });

  it("follows comment edits and deletes, task edits and deletes", async () => {
    const api = callerFor(member);
    const task = await makeTask(ws, project.id, { title: "Ephemeral glossolalia" });
    const comment = await api.comment.create({ workspaceSlug: ws.slug, taskId: task.id, body: "first: brontide" });
    expect(await listIds(api, ws.slug, "brontide")).toEqual([task.id]);
    await api.comment.update({ workspaceSlug: ws.slug, commentId: comment.id, body: "second: petrichor" });
    expect(await listIds(api, ws.slug, "brontide")).toEqual([]);
    expect(await listIds(api, ws.slug, "petrichor")).toEqual([task.id]);
    await api.comment.delete({ workspaceSlug: ws.slug, commentId: comment.id });
    expect(await listIds(api, ws.slug, "petrichor")).toEqual([]);
    const current = await api.task.get({ workspaceSlug: ws.slug, taskId: task.id });
    await api.task.update({
      workspaceSlug: ws.slug,
      taskId: task.id,
      version: current.version,
      patch: { title: "Renamed susurrus" },
    });
    expect(await listIds(api, ws.slug, "glossolalia")).toEqual([]);
    expect(await listIds(api, ws.slug, "susurrus")).toEqual([task.id]);
    await api.task.delete({ workspaceSlug: ws.slug, taskId: task.id });
    expect(await listIds(api, ws.slug, "susurrus")).toEqual([]);
  });

  it("treats a blank query as no search, and one without letters or digits as matching nothing", async () => {
    const api = callerFor(member);
    const all = await api.task.list({ workspaceSlug: ws.slug, limit: 100 });
    expect(
      (await api.task.list({ workspaceSlug: ws.slug, limit: 100, filter: { q: "   " } })).items.map((t) => t.id),
    ).toEqual(all.items.map((t) => t.id));
    expect(await api.task.list({ workspaceSlug: ws.slug, filter: { q: "!!! <> &&" } })).toEqual({
      items: [],
      nextCursor: null,
    });
    expect(await api.task.list({ workspaceSlug: ws.slug, filter: { q: "!!!" }, sort: "relevance" })).toEqual({
      items: [],
      nextCursor: null,
    });
  });

  it("finds more than the palette shows: every match, however old, in pages", async () => {
    const api = callerFor(member);
    const word = `quagga${uid().replace(/\d/g, "x")}`;
    const p = await makeProject(ws);
    const base = Date.UTC(2020, 0, 1);
    // 130 matching tasks, made long ago (the palette ranks only the newest 10,000 for common words).
    await testDb().task.createMany({
      data: Array.from({ length: 130 }, (_, i) => ({
        workspaceId: ws.id,
        projectId: p.id,
        number: i + 1,
        title: `Old ${word} ${i}`,
        creatorId: ws.owner.id,
        position: `a${String(i).padStart(4, "0")}`,
        createdAt: new Date(base + i * 1000),
        updatedAt: new Date(base + i * 1000),
      })),
    });
    const { ids, pages } = await allPages(api, { workspaceSlug: ws.slug, filter: { q: word }, limit: 50 });
    expect(ids).toHaveLength(130);
    expect(new Set(ids).size).toBe(130);
    expect(pages).toBe(3);
    expect((await api.search.tasks({ workspaceSlug: ws.slug, q: word, limit: 50 })).hits).toHaveLength(50);
  });

  it("puts tasks with every word in the title first, then the others, each most recently updated first", async () => {
    const api = callerFor(member);
    const word = `narwhal${uid().replace(/\d/g, "y")}`;
    const p = await makeProject(ws);
    const at = (minutes: number) => new Date(Date.UTC(2026, 5, 1, 12, minutes));
    const rows = [
      { key: "title-old", title: `${word} in the title`, description: "", updatedAt: at(1) },
      { key: "desc-new", title: "Something else", description: `mentions ${word}`, updatedAt: at(9) },
      { key: "title-new", title: `Title ${word}`, description: "", updatedAt: at(5) },
      { key: "desc-old", title: "Another", description: `${word} again`, updatedAt: at(2) },
    ];
    await testDb().task.createMany({
      data: rows.map((r, i) => ({
        workspaceId: ws.id,
        projectId: p.id,
        number: i + 1,
        title: r.title,
        description: r.description,
        creatorId: ws.owner.id,
        position: `a${i}`,
        updatedAt: r.updatedAt,
      })),
    });
    const byTitle = new Map(
      (await testDb().task.findMany({ where: { projectId: p.id }, select: { id: true, title: true } })).map((t) => [
        t.id,
        rows.find((r) => r.title === t.title)!.key,
      ]),
    );
    const names = (ids: string[]) => ids.map((id) => byTitle.get(id));
    expect(names(await listIds(api, ws.slug, word, { sort: "relevance" }))).toEqual([
      "title-new",
      "title-old",
      "desc-new",
      "desc-old",
    ]);
    expect(names(await listIds(api, ws.slug, word, { sort: "relevance", order: "asc" }))).toEqual([
      "desc-old",
      "desc-new",
      "title-old",
      "title-new",
    ]);
    // Page by page (one row each), the cursor carries the group across the boundary.
    const paged = await allPages(api, { workspaceSlug: ws.slug, filter: { q: word }, sort: "relevance", limit: 1 });
    expect(names(paged.ids)).toEqual(["title-new", "title-old", "desc-new", "desc-old"]);
    expect(paged.pages).toBe(4);
  });
});

describe("filter.q: access and bad input", () => {
  it("lets a viewer search; NOT_FOUND for a non-member, UNAUTHORIZED signed out; never another workspace's tasks", async () => {
    const a = await makeWorkspace();
    const b = await makeWorkspace();
    const viewer = await addMember(a, "VIEWER");
    const pa = await makeProject(a);
    const pb = await makeProject(b);
    const mine = await makeTask(a, pa.id, { title: "Shared zymurgy word" });
    const theirs = await makeTask(b, pb.id, { title: "Shared zymurgy word" });
    // Someone in both workspaces sees only the one named in the call.
    await addMember(b, "MEMBER", viewer);
    expect(await listIds(callerFor(viewer), a.slug, "zymurgy")).toEqual([mine.id]);
    expect(await listIds(callerFor(viewer), b.slug, "zymurgy")).toEqual([theirs.id]);
    expect(
      await listIds(callerFor(viewer), a.slug, "zymurgy", { sort: "relevance", filter: { projectId: pb.id } }),
    ).toEqual([]);
    await expectApiError(
      callerFor(await makeUser("outsider")).task.list({ workspaceSlug: a.slug, filter: { q: "zymurgy" } }),
      "NOT_FOUND",
    );
    await expectApiError(
      callerFor(null).task.list({ workspaceSlug: a.slug, filter: { q: "zymurgy" } }),
      "UNAUTHORIZED",
    );
  });

  it("answers bad input with a 400 naming the field", async () => {
    const ws = await makeWorkspace();
    const api = callerFor(ws.owner);
    const long = await expectApiError(
      api.task.list({ workspaceSlug: ws.slug, filter: { q: "x".repeat(201) } }),
      "BAD_REQUEST",
    );
    expect(Object.keys(long.data.fieldErrors ?? {}).some((k) => k.endsWith("q"))).toBe(true);
    const relevance = await expectApiError(api.task.list({ workspaceSlug: ws.slug, sort: "relevance" }), "BAD_REQUEST");
    expect(relevance.data.fieldErrors?.sort).toEqual(["Sorting by relevance needs filter.q"]);
    const board = await expectApiError(
      api.task.list({ workspaceSlug: ws.slug, sort: "position", filter: { q: "x" } }),
      "BAD_REQUEST",
    );
    expect(board.data.fieldErrors?.sort).toBeDefined();
    for (const cursor of [
      encodeCursor({ s: "relevance", d: "desc", v: "7|2026-01-01T00:00:00.000Z", id: "t1" }),
      encodeCursor({ s: "relevance", d: "desc", v: null, id: "t1" }),
      encodeCursor({ s: "created", d: "desc", v: "2026-01-01T00:00:00.000Z", id: "t1" }),
      "garbage",
    ]) {
      const error = await expectApiError(
        api.task.list({ workspaceSlug: ws.slug, sort: "relevance", filter: { q: "x" }, cursor }),
        "BAD_REQUEST",
      );
      expect(error.data.fieldErrors?.cursor, cursor).toBeDefined();
    }
    const nullCreated = await expectApiError(
      api.task.list({
        workspaceSlug: ws.slug,
        filter: { q: "x" },
        cursor: encodeCursor({ s: "created", d: "desc", v: null, id: "t1" }),
      }),
      "BAD_REQUEST",
    );
    expect(nullCreated.data.fieldErrors?.cursor).toBeDefined();
  });
});

// ─── the property: the same sequence as the list without q, keeping matches ───

/** Made-up words the English stemmer leaves alone (checked below), so "matches" is simply "a word starts with it". */
const VOCAB = ["zorb", "quix", "blent", "mrak", "tolv", "vusk", "prent", "glim", "drax", "fenk", "wump", "snarl"];
/** Between words: spaces and the markup and punctuation PostgreSQL's parser used to read as tags, entities or hosts. */
const SEPARATORS = [" ", " ", " ", "<", ">", "&", "-", ".", "@", "/", "<b>", "</i>", "&amp;", ", "];

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe("filter.q: complete, ordered and filtered like the list without it", () => {
  const TASKS = 3_000;
  let ws: TestWorkspace;
  let api: Caller;
  let projects: string[];
  let labels: string[];
  let people: string[];
  /** Words of each live task: all its text, and its title's. */
  const words = new Map<string, { all: string[]; title: string[] }>();

  beforeAll(async () => {
    ws = await makeWorkspace();
    const member = await addMember(ws, "MEMBER");
    api = callerFor(member);
    people = [ws.owner.id, member.id];
    projects = [(await makeProject(ws)).id, (await makeProject(ws)).id];
    labels = [];
    for (const name of ["red", "green", "blue"])
      labels.push((await api.label.create({ workspaceSlug: ws.slug, name: `${name}-${uid()}`, color: "#3b82f6" })).id);
    const rand = mulberry32(7);
    const any = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
    // Skewed: early words are common, late ones rare; "snarl" is in a handful of tasks only.
    const word = () => (rand() < 0.002 ? "snarl" : VOCAB[Math.floor(Math.pow(rand(), 2) * (VOCAB.length - 1))]!);
    const text = (n: number) =>
      Array.from({ length: n }, () => word()).reduce((s, w) => (s ? `${s}${any(SEPARATORS)}${w}` : w), "");
    const base = Date.UTC(2025, 0, 1);
    const data = Array.from({ length: TASKS }, (_, i) => ({
      workspaceId: ws.id,
      projectId: projects[i % 2]!,
      number: Math.floor(i / 2) + 1,
      title: text(1 + Math.floor(rand() * 3)),
      description: text(Math.floor(rand() * 5)),
      status: any(TASK_STATUSES),
      priority: any(TASK_PRIORITIES),
      assigneeId: rand() < 0.2 ? null : any(people),
      creatorId: ws.owner.id,
      dueDate: rand() < 0.4 ? new Date(Date.UTC(2026, 0, 1 + Math.floor(rand() * 60))) : null,
      position: `a${String(i).padStart(5, "0")}`,
      // Ties on purpose: the id breaks them.
      createdAt: new Date(base + Math.floor(i / 3) * 60_000),
      updatedAt: new Date(base + Math.floor(rand() * 500) * 60_000),
      deletedAt: rand() < 0.05 ? new Date() : null,
    }));
    await testDb().task.createMany({ data });
    const tasks = await testDb().task.findMany({
      where: { workspaceId: ws.id },
      select: { id: true, title: true, description: true, deletedAt: true },
    });
    await testDb().taskLabel.createMany({
      data: tasks.flatMap((t, i) =>
        i % 4 === 0
          ? [{ taskId: t.id, labelId: labels[i % 3]! }]
          : i % 7 === 0
            ? [{ taskId: t.id, labelId: labels[(i + 1) % 3]! }]
            : [],
      ),
    });
    // Comments on a third of the tasks; some deleted (their words must not count).
    const comments = tasks.flatMap((t, i) =>
      i % 3 === 0
        ? [
            {
              workspaceId: ws.id,
              taskId: t.id,
              authorId: ws.owner.id,
              body: text(1 + (i % 3)),
              deletedAt: i % 9 === 0 ? new Date() : null,
            },
          ]
        : [],
    );
    await testDb().comment.createMany({ data: comments });
    for (const t of tasks) {
      if (t.deletedAt) continue;
      const said = comments.filter((c) => c.taskId === t.id && !c.deletedAt).map((c) => c.body);
      words.set(t.id, { all: wordsOf([t.title, t.description, ...said].join(" ")), title: wordsOf(t.title) });
    }
  }, 120_000);

  it("uses words the English stemmer leaves alone or drops as stop words (so the oracle is exact)", async () => {
    const probes = [
      ...VOCAB,
      ...VOCAB.flatMap((w) => Array.from({ length: w.length - 2 }, (_, n) => w.slice(0, n + 2))),
    ];
    const rows = await testDb().$queryRaw<
      Array<{ w: string; s: string }>
    >`SELECT w, array_to_string(tsvector_to_array(to_tsvector('english', w)), ',') AS s FROM unnest(${probes}::text[]) AS w`;
    // A stop word ("to") has no English lexeme; its unstemmed one still matches by prefix.
    expect(rows.filter((r) => r.s !== r.w && r.s !== "")).toEqual([]);
  });

  /** Every word of a document (searchWords' splitting, without its cap of 8 query words). */
  function wordsOf(text: string): string[] {
    return text.toLowerCase().match(/[\p{L}\p{M}\p{N}]+/gu) ?? [];
  }
  const matches = (have: string[], query: string[]) => query.every((q) => have.some((w) => w.startsWith(q)));

  const queryArb = fc
    .array(
      fc.oneof(
        { weight: 6, arbitrary: fc.constantFrom(...VOCAB) },
        {
          weight: 3,
          arbitrary: fc
            .constantFrom(...VOCAB)
            .chain((w) => fc.integer({ min: 2, max: w.length }).map((n) => w.slice(0, n))),
        },
        { weight: 1, arbitrary: fc.constant("xyzzy") },
      ),
      { minLength: 1, maxLength: 2 },
    )
    .chain((ws) => fc.constantFrom(" ", "  ", ", ", " <b>", "&").map((sep) => ws.join(sep)));

  /** Each filter in about one run of four, so most runs keep enough rows to span pages. */
  const sometimes = <T>(arb: fc.Arbitrary<T>) =>
    fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: arb });
  const filterArb = fc.record({
    project: sometimes(fc.nat({ max: 1 })),
    status: sometimes(fc.subarray([...TASK_STATUSES], { minLength: 1, maxLength: 3 })),
    priority: sometimes(fc.subarray([...TASK_PRIORITIES], { minLength: 1, maxLength: 2 })),
    assignee: sometimes(fc.constantFrom<number | null>(0, 1, null)),
    label: sometimes(fc.nat({ max: 2 })),
    due: sometimes(fc.constantFrom("before", "after", "has", "none")),
  });

  function toFilter(f: {
    project?: number;
    status?: string[];
    priority?: string[];
    assignee?: number | null;
    label?: number;
    due?: string;
  }): TaskFilter {
    const filter: TaskFilter = {};
    if (f.project !== undefined) filter.projectId = projects[f.project];
    if (f.status) filter.status = f.status as TaskFilter["status"];
    if (f.priority) filter.priority = f.priority as TaskFilter["priority"];
    if (f.assignee !== undefined) filter.assigneeId = f.assignee === null ? null : people[f.assignee];
    if (f.label !== undefined) filter.labelId = labels[f.label];
    if (f.due === "before") filter.dueBefore = "2026-01-20";
    if (f.due === "after") filter.dueAfter = "2026-02-10";
    if (f.due === "has") filter.hasDueDate = true;
    if (f.due === "none") filter.hasDueDate = false;
    return filter;
  }

  it("for any query, filter, sort, direction and page size", { timeout: 300_000 }, async () => {
    const sizes: number[] = [];
    await fc.assert(
      fc.asyncProperty(
        queryArb,
        filterArb,
        fc.constantFrom("created", "updated", "priority", "due", "position", "relevance"),
        fc.constantFrom<"asc" | "desc" | undefined>(undefined, "asc", "desc"),
        fc.constantFrom(17, 50, 100),
        async (q, f, sort, order, limit) => {
          const filter = toFilter(f);
          if (sort === "position") filter.projectId ??= projects[0];
          const query = searchWords(q);
          const baseSort = sort === "relevance" ? "updated" : sort;
          const without = await allPages(api, { workspaceSlug: ws.slug, filter, sort: baseSort, order, limit: 100 });
          let expected = without.ids.filter((id) => matches(words.get(id)!.all, query));
          if (sort === "relevance") {
            // Title matches first when descending (last when ascending); updatedAt order within each group.
            const inTitle = (id: string) => matches(words.get(id)!.title, query);
            const [first, second] = (order ?? "desc") === "desc" ? [true, false] : [false, true];
            expected = [
              ...expected.filter((id) => inTitle(id) === first),
              ...expected.filter((id) => inTitle(id) === second),
            ];
          }
          const got = await allPages(api, { workspaceSlug: ws.slug, filter: { ...filter, q }, sort, order, limit });
          expect(got.ids).toEqual(expected);
          sizes.push(expected.length);
          // The page with the last match says there is no next one (no empty page at the end).
          expect(got.pages).toBe(Math.max(1, Math.ceil(expected.length / limit)));
        },
      ),
      { seed: 20261202, numRuns: 40 },
    );
    // Not only empty lists: most runs span several pages.
    expect(sizes.filter((n) => n > 100).length).toBeGreaterThan(10);
  });
});
