import { textProblem } from "@/server/trpc/input-limits";
import { beforeAll, describe, expect, it } from "vitest";
import "../setup/file-db";
import { testDb } from "../setup/file-db";
import {
  addMember,
  callerFor,
  makeTask,
  makeUser,
  makeWorkspace,
  uid,
  type TestUser,
  type TestWorkspace,
} from "../helpers/factories";
import { expectApiError } from "../helpers/errors";
import { MAX_EXPANDED_LEXEMES, runOn, searchQuery } from "@/server/db/search";

/** A project row made directly, so these tests do not depend on project.create. */
function makeProjectRow(ws: TestWorkspace, key = `S${uid().slice(0, 5).toUpperCase()}`) {
  return testDb().project.create({
    data: { workspaceId: ws.id, key, name: `Project ${key}` },
    select: { id: true, key: true },
  });
}

async function setup(key?: string) {
  const ws = await makeWorkspace();
  const member = await addMember(ws, "MEMBER");
  const viewer = await addMember(ws, "VIEWER");
  const project = await makeProjectRow(ws, key);
  return { ws, owner: ws.owner, member, viewer, project };
}

function search(ws: TestWorkspace, user: TestUser, q: string, limit?: number) {
  return callerFor(user).search.tasks({ workspaceSlug: ws.slug, q, ...(limit === undefined ? {} : { limit }) });
}

async function hitIds(ws: TestWorkspace, user: TestUser, q: string) {
  return (await search(ws, user, q)).hits.map((h) => h.id);
}

describe("search.tasks: what it finds", () => {
  it("finds a task by a word only in its title", async () => {
    const { ws, member, project } = await setup();
    const task = await makeTask(ws, project.id, {
      title: "Calibrate the zanzibarite sensor",
      description: "Nothing special here",
    });
    await makeTask(ws, project.id, { title: "Something else entirely" });
    const { hits } = await search(ws, member, "zanzibarite");
    expect(hits).toEqual([
      {
        id: task.id,
        ref: task.ref,
        title: "Calibrate the zanzibarite sensor",
        status: "TODO",
        priority: "NONE",
        projectKey: project.key,
        matchedIn: "task",
      },
    ]);
    // Case does not matter.
    expect(await hitIds(ws, member, "ZANZIBARITE")).toEqual([task.id]);
  });

  it("finds a task by a word only in its description", async () => {
    const { ws, member, project } = await setup();
    const task = await makeTask(ws, project.id, {
      title: "Quarterly chores",
      description: "Remember the **xylophonic** cadence\n\n- step one",
    });
    await makeTask(ws, project.id, { title: "Other chores", description: "Nothing to see" });
    const { hits } = await search(ws, member, "xylophonic");
    expect(hits).toEqual([expect.objectContaining({ id: task.id, matchedIn: "task", title: "Quarterly chores" })]);
  });

  it("finds a task by a word only in one of its comments, reported as a comment match", async () => {
    const { ws, member, project } = await setup();
    const task = await makeTask(ws, project.id, { title: "Plain task", description: "Plain description" });
    await makeTask(ws, project.id, { title: "Another plain task" });
    await callerFor(member).comment.create({
      workspaceSlug: ws.slug,
      taskId: task.id,
      body: "The quokkaberry jam is ready",
    });
    const { hits } = await search(ws, member, "quokkaberry");
    expect(hits).toEqual([
      {
        id: task.id,
        ref: task.ref,
        title: "Plain task",
        status: "TODO",
        priority: "NONE",
        projectKey: project.key,
        matchedIn: "comment",
      },
    ]);
  });

  it("matches prefixes as you type", async () => {
    const { ws, member, project } = await setup();
    const task = await makeTask(ws, project.id, { title: "Plan the deployment pipeline" });
    await makeTask(ws, project.id, { title: "Write release notes" });
    for (const q of ["d", "de", "deplo", "deploym", "DEPLOYMENT", "pipel"]) {
      expect(await hitIds(ws, member, q), q).toEqual([task.id]);
    }
    expect(await hitIds(ws, member, "deploymentz")).toEqual([]);
  });

  it("matches word forms through stemming", async () => {
    const { ws, member, project } = await setup();
    const singular = await makeTask(ws, project.id, { title: "Write a test for the parser" });
    const plural = await makeTask(ws, project.id, { title: "Flaky tests in CI" });
    const other = await makeTask(ws, project.id, { title: "Unrelated chore" });
    expect((await hitIds(ws, member, "tests")).sort()).toEqual([singular.id, plural.id].sort());
    expect((await hitIds(ws, member, "test")).sort()).toEqual([singular.id, plural.id].sort());
    expect((await hitIds(ws, member, "testing")).sort()).toEqual([singular.id, plural.id].sort());
    expect(await hitIds(ws, member, "parsers")).toEqual([singular.id]);
    expect(await hitIds(ws, member, "chores")).toEqual([other.id]);
  });

  it("requires every word (AND), in any order and across punctuation", async () => {
    const { ws, member, project } = await setup();
    const both = await makeTask(ws, project.id, { title: "Marmalade telescope", description: "" });
    const first = await makeTask(ws, project.id, { title: "Marmalade only" });
    const second = await makeTask(ws, project.id, { title: "Telescope only" });
    const split = await makeTask(ws, project.id, {
      title: "Marmalade in the title",
      description: "and a telescope in the description",
    });
    expect((await hitIds(ws, member, "marmalade telescope")).sort()).toEqual([both.id, split.id].sort());
    expect((await hitIds(ws, member, "telescope, marmalade!")).sort()).toEqual([both.id, split.id].sort());
    expect((await hitIds(ws, member, "marmalade only")).sort()).toEqual([first.id]);
    expect((await hitIds(ws, member, "telescope only")).sort()).toEqual([second.id]);
    expect((await hitIds(ws, member, "marmalade")).sort()).toEqual([both.id, first.id, split.id].sort());
    expect(await hitIds(ws, member, "marmalade zeppelin")).toEqual([]);
  });

  it("puts the task named by a reference like KEY-3 first, in any case, marked as a ref match", async () => {
    const { ws, member, project } = await setup("KEY");
    const tasks = [];
    tasks.push(await makeTask(ws, project.id, { title: "Key 3 notes: read about key-3" }));
    tasks.push(await makeTask(ws, project.id, { title: "Second" }));
    tasks.push(await makeTask(ws, project.id, { title: "Third" }));
    tasks.push(await makeTask(ws, project.id, { title: "Fourth" }));
    const third = tasks[2]!;
    expect(third.ref).toBe("KEY-3");

    for (const q of ["KEY-3", "key-3", "Key-3", "  kEy-3  "]) {
      const { hits } = await search(ws, member, q);
      expect(hits[0], q).toEqual({
        id: third.id,
        ref: "KEY-3",
        title: "Third",
        status: "TODO",
        priority: "NONE",
        projectKey: "KEY",
        matchedIn: "ref",
      });
      expect(
        hits.filter((h) => h.id === third.id),
        q,
      ).toHaveLength(1);
      expect(
        hits.slice(1).every((h) => h.matchedIn !== "ref"),
        q,
      ).toBe(true);
    }
    // The task whose words match comes after the referenced one.
    expect((await search(ws, member, "KEY-3")).hits.map((h) => [h.id, h.matchedIn])).toEqual([
      [third.id, "ref"],
      [tasks[0]!.id, "task"],
    ]);
    // No such task: no ref hit.
    expect((await search(ws, member, "KEY-99")).hits.filter((h) => h.matchedIn === "ref")).toEqual([]);
    expect((await search(ws, member, "NOPE-3")).hits.filter((h) => h.matchedIn === "ref")).toEqual([]);
  });

  it("honours the limit", async () => {
    const { ws, member, project } = await setup();
    for (let i = 0; i < 4; i++) await makeTask(ws, project.id, { title: `Zebracorn number ${i}` });
    expect((await search(ws, member, "zebracorn", 2)).hits).toHaveLength(2);
    expect((await search(ws, member, "zebracorn")).hits).toHaveLength(4);
    expect((await search(ws, member, "zebracorn", 1)).hits).toHaveLength(1);
  });

  it("follows edits to titles and descriptions", async () => {
    const { ws, member, project } = await setup();
    const task = await makeTask(ws, project.id, { title: "Old gibberwocky title", description: "old flumpet text" });
    expect(await hitIds(ws, member, "flumpet")).toEqual([task.id]);
    await callerFor(member).task.update({
      workspaceSlug: ws.slug,
      taskId: task.id,
      version: task.version,
      patch: { title: "New snorkelberry title", description: "new brindlewhisk text" },
    });
    expect(await hitIds(ws, member, "gibberwocky")).toEqual([]);
    expect(await hitIds(ws, member, "flumpet")).toEqual([]);
    expect(await hitIds(ws, member, "snorkelberry")).toEqual([task.id]);
    expect(await hitIds(ws, member, "brindlewhisk")).toEqual([task.id]);
  });
});

describe("search.tasks: text is text, not markup", () => {
  it("finds <script>alert(1)</script> by script and alert, and a<b>c by each of its letters", async () => {
    const { ws, member, project } = await setup();
    const script = await makeTask(ws, project.id, { title: "<script>alert(1)</script>" });
    const abc = await makeTask(ws, project.id, { title: "a<b>c" });
    for (const q of ["script", "alert", "<script>", "alert(1)"])
      expect(await hitIds(ws, member, q), q).toEqual([script.id]);
    for (const q of ["a b c", "a<b>c", "c"]) expect(await hitIds(ws, member, q), q).toEqual([abc.id]);
    expect(await hitIds(ws, member, "b")).toContain(abc.id);
  });

  it("finds words inside HTML in descriptions and comments, entities and addresses as words", async () => {
    const { ws, member, project } = await setup();
    const described = await makeTask(ws, project.id, {
      title: "Described",
      description:
        "<div class='x'><b>flibbertigibbet</b> &amp; <style>.a{}</style> mail ops@lanes.example v2.5.1</div>",
    });
    const commented = await makeTask(ws, project.id, { title: "Commented" });
    await callerFor(member).comment.create({
      workspaceSlug: ws.slug,
      taskId: commented.id,
      body: "<i>gallimaufry</i> &lt;tag&gt; <script>snollygoster()</script>",
    });
    expect(await hitIds(ws, member, "flibbertigibbet")).toEqual([described.id]);
    expect(await hitIds(ws, member, "lanes example")).toEqual([described.id]);
    expect(await hitIds(ws, member, "v2.5.1")).toEqual([described.id]);
    expect((await search(ws, member, "gallimaufry")).hits).toEqual([
      expect.objectContaining({ id: commented.id, matchedIn: "comment" }),
    ]);
    expect((await search(ws, member, "snollygoster")).hits).toEqual([
      expect.objectContaining({ id: commented.id, matchedIn: "comment" }),
    ]);
  });
});

describe("search.tasks: what it must not find", () => {
  it("does not find deleted tasks, by words or by reference", async () => {
    const { ws, member, project } = await setup();
    const task = await makeTask(ws, project.id, { title: "Obliterandum plan", description: "obliterandum details" });
    await callerFor(member).comment.create({
      workspaceSlug: ws.slug,
      taskId: task.id,
      body: "obliterandum in a comment too",
    });
    expect(await hitIds(ws, member, "obliterandum")).toEqual([task.id]);
    expect((await search(ws, member, task.ref)).hits.map((h) => h.id)).toEqual([task.id]);

    await callerFor(member).task.delete({ workspaceSlug: ws.slug, taskId: task.id });
    expect((await search(ws, member, "obliterandum")).hits).toEqual([]);
    expect((await search(ws, member, task.ref)).hits).toEqual([]);
  });

  it("does not find deleted comments", async () => {
    const { ws, member, project } = await setup();
    const task = await makeTask(ws, project.id, { title: "Task with a fleeting comment" });
    const c = await callerFor(member).comment.create({
      workspaceSlug: ws.slug,
      taskId: task.id,
      body: "an evanescor remark",
    });
    expect((await search(ws, member, "evanescor")).hits.map((h) => [h.id, h.matchedIn])).toEqual([
      [task.id, "comment"],
    ]);
    await callerFor(member).comment.delete({ workspaceSlug: ws.slug, commentId: c.id });
    expect((await search(ws, member, "evanescor")).hits).toEqual([]);
    // The task itself is still found by its own words.
    expect(await hitIds(ws, member, "fleeting")).toEqual([task.id]);
  });

  it("finds an edited comment by its new words only", async () => {
    const { ws, member, project } = await setup();
    const task = await makeTask(ws, project.id, { title: "Task with an edited comment" });
    const c = await callerFor(member).comment.create({
      workspaceSlug: ws.slug,
      taskId: task.id,
      body: "first wording: quibblefish",
    });
    await callerFor(member).comment.update({
      workspaceSlug: ws.slug,
      commentId: c.id,
      body: "second wording: dandelionic",
    });
    expect(await hitIds(ws, member, "quibblefish")).toEqual([]);
    expect((await search(ws, member, "dandelionic")).hits.map((h) => [h.id, h.matchedIn])).toEqual([
      [task.id, "comment"],
    ]);
  });

  it("only ever returns tasks of the caller's workspace", async () => {
    const a = await setup("KEY");
    const b = await setup("KEY");
    const mineA = await makeTask(a.ws, a.project.id, { title: "Wombatronics in A" });
    const theirsB1 = await makeTask(b.ws, b.project.id, { title: "Wombatronics in B", description: "wombatronics" });
    const theirsB2 = await makeTask(b.ws, b.project.id, { title: "B only task", description: "B description" });
    await callerFor(b.member).comment.create({
      workspaceSlug: b.ws.slug,
      taskId: theirsB2.id,
      body: "wombatronics in a comment of B",
    });
    // Someone in both workspaces still sees only the workspace named in the call.
    await addMember(b.ws, "MEMBER", a.member);

    expect(await hitIds(a.ws, a.member, "wombatronics")).toEqual([mineA.id]);
    expect((await hitIds(b.ws, b.member, "wombatronics")).sort()).toEqual([theirsB1.id, theirsB2.id].sort());
    expect((await hitIds(b.ws, a.member, "wombatronics")).sort()).toEqual([theirsB1.id, theirsB2.id].sort());
    // B-only words are invisible from A.
    expect(await hitIds(a.ws, a.member, "description")).toEqual([]);
    expect(await hitIds(a.ws, a.viewer, "wombatronics comment")).toEqual([]);
    // The same reference exists in both: each workspace gets its own task.
    expect((await search(a.ws, a.member, "KEY-1")).hits[0]).toMatchObject({ id: mineA.id, matchedIn: "ref" });
    expect((await search(b.ws, b.member, "KEY-1")).hits[0]).toMatchObject({ id: theirsB1.id, matchedIn: "ref" });
    expect((await search(a.ws, a.member, "KEY-2")).hits).toEqual([]);
  });
});

describe("search.tasks: access and validation", () => {
  it("lets a VIEWER search; answers NOT_FOUND to a non-member and UNAUTHORIZED when signed out", async () => {
    const { ws, viewer, project } = await setup();
    const task = await makeTask(ws, project.id, { title: "Visible vorpalizer" });
    expect(await hitIds(ws, viewer, "vorpalizer")).toEqual([task.id]);
    await expectApiError(search(ws, await makeUser("outsider"), "vorpalizer"), "NOT_FOUND");
    await expectApiError(callerFor(null).search.tasks({ workspaceSlug: ws.slug, q: "vorpalizer" }), "UNAUTHORIZED");
  });

  it("rejects a query over 200 characters, bad limits and unknown fields", async () => {
    const { ws, member } = await setup();
    const long = await expectApiError(search(ws, member, "a".repeat(201)), "BAD_REQUEST");
    expect(long.data.fieldErrors?.q).toEqual(["Search for at most 200 characters"]);
    await expect(search(ws, member, "a".repeat(200))).resolves.toEqual({ hits: [] });
    for (const limit of [0, 51, 2.5]) {
      const error = await expectApiError(search(ws, member, "x", limit), "BAD_REQUEST");
      expect(error.data.fieldErrors?.limit, String(limit)).toBeDefined();
    }
    const wrongType = await expectApiError(
      callerFor(member).search.tasks({ workspaceSlug: ws.slug, q: 42 } as never),
      "BAD_REQUEST",
    );
    expect(wrongType.data.fieldErrors?.q).toBeDefined();
    const unknown = await expectApiError(
      callerFor(member).search.tasks({ workspaceSlug: ws.slug, q: "x", raw: "1=1" } as never),
      "BAD_REQUEST",
    );
    expect(Object.keys(unknown.data.fieldErrors ?? {})).toContain("");
  });
});

// ─── hostile and random input ──────────────────────────────────────────────

/** Deterministic PRNG (mulberry32) so a failure reproduces. */
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

const PUNCTUATION = [..."!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"];
const LETTERS = [..."abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"];
const DIGITS = [..."0123456789"];
const QUOTES = ["'", '"', "`", "‘", "’", "“", "”", "«", "»", "''", '""'];
const UNICODE = [
  "é",
  "ß",
  "ñ",
  "İ",
  "ı",
  "ﬁ",
  "①",
  "½",
  "Ⅻ",
  "日本語",
  "テスト",
  "中文",
  "한국어",
  "עברית",
  "العربية",
  "Ελληνικά",
  "кириллица",
  "🙂",
  "👩‍💻",
  "🇩🇪",
  "\u0301",
  "\u200b",
  "\u200d",
  "\ufeff",
  "\ud800",
  "\udfff",
  "\u0000",
  "\u001f",
  "\u007f",
];
const WHITESPACE = [" ", "  ", "\t", "\n", "\r\n", "\u00a0", "\u2003", "\u3000"];
const OPERATORS = [
  ":*",
  "&",
  "|",
  "!",
  "<->",
  "<2>",
  "&&",
  "||",
  "!!",
  "(",
  ")",
  "':*'",
  "\\",
  "%",
  "_",
  "--",
  "/*",
  "*/",
  ";",
  "$1",
  "$$",
  "KEY-3",
  "key-",
  "-3",
  "OR 1=1",
  "DROP TABLE",
  "\\x00",
];
const WORDS = ["alpha", "beta", "deploy", "test", "tests", "the", "a", "and", "or", "not", "x"];
const POOLS = [PUNCTUATION, LETTERS, DIGITS, QUOTES, UNICODE, WHITESPACE, OPERATORS, WORDS];

function randomQuery(rand: () => number): string {
  // Half short (as typed in a search box), half anywhere up to the 200-character limit.
  const target = rand() < 0.5 ? Math.floor(rand() * 21) : Math.floor(rand() * 201);
  let s = "";
  while (s.length < target) {
    const pool = POOLS[Math.floor(rand() * POOLS.length)]!;
    s += pool[Math.floor(rand() * pool.length)]!;
  }
  // May cut a surrogate pair in half: a lone surrogate is hostile input too.
  return s.slice(0, 200);
}

describe("search.tasks: any typed string is safe", () => {
  let a: Awaited<ReturnType<typeof setup>>;
  let searchers: TestUser[];
  let aTaskIds: Set<string>;

  beforeAll(async () => {
    a = await setup("KEY");
    const b = await setup("KEY");
    const admin = await addMember(a.ws, "ADMIN");
    searchers = [a.owner, a.member, a.viewer, admin];
    // Common words in both workspaces, so random queries find something and scoping is exercised.
    const titles = [
      "Alpha deploy test",
      "Beta tests and notes",
      "The a x task",
      "Not or and",
      "日本語 テスト",
      'Quote\'s "test" & pipe | bang!',
    ];
    for (const title of titles) await makeTask(a.ws, a.project.id, { title, description: `${title} description` });
    for (const title of titles) await makeTask(b.ws, b.project.id, { title, description: `${title} description` });
    const [firstA] = await testDb().task.findMany({ where: { workspaceId: a.ws.id }, select: { id: true }, take: 1 });
    await callerFor(a.member).comment.create({
      workspaceSlug: a.ws.slug,
      taskId: firstA!.id,
      body: "alpha beta comment `code` 'quoted'",
    });
    aTaskIds = new Set(
      (await testDb().task.findMany({ where: { workspaceId: a.ws.id }, select: { id: true } })).map((t) => t.id),
    );
  });

  const HOSTILE = [
    "'",
    '"',
    "\\",
    "&",
    "|",
    "!",
    "(",
    ")",
    ":*",
    "a & | b",
    "' OR 1=1 --",
    "%_",
    "   ",
    "",
    "🙂",
    "日本語",
    "a:*b",
    "<script>alert(1)</script>",
    "x".repeat(200),
  ];

  it.each(HOSTILE.map((q) => [JSON.stringify(q).slice(0, 40), q] as const))("resolves for %s", async (_name, q) => {
    const result = await search(a.ws, a.member, q);
    expect(Array.isArray(result.hits)).toBe(true);
    expect(result.hits.every((h) => aTaskIds.has(h.id))).toBe(true);
  });

  it.each([
    ["NUL", "a\u0000b"],
    ["a lone surrogate", "x\ud800"],
  ])("answers 400 naming q for text that cannot be stored (%s)", async (_name, q) => {
    const error = await expectApiError(search(a.ws, a.member, q), "BAD_REQUEST");
    expect(Object.keys(error.data.fieldErrors ?? {})).toEqual(["q"]);
  });

  it("returns no hits for input without letters or digits", async () => {
    for (const q of ["'", '"', "\\", "&", "|", "!", "(", ")", ":*", "%_", "   ", "", "🙂", "&&|!()<->:*"]) {
      expect((await search(a.ws, a.viewer, q)).hits, JSON.stringify(q)).toEqual([]);
    }
  });

  it("treats operators and quotes as separators, not syntax", async () => {
    const ids = await hitIds(a.ws, a.member, "alpha & | deploy");
    const plain = await hitIds(a.ws, a.member, "alpha deploy");
    expect(ids).toEqual(plain);
    expect(plain).toHaveLength(1);
    expect(await hitIds(a.ws, a.member, "a:*b")).toEqual(await hitIds(a.ws, a.member, "a b"));
    expect(await hitIds(a.ws, a.member, "' OR 1=1 --")).toEqual(await hitIds(a.ws, a.member, "or 1 1"));
  });

  it("resolves for 200 random strings of punctuation, letters, digits, quotes, unicode and whitespace", async () => {
    const rand = mulberry32(0x5eed_1a7e);
    const failures: string[] = [];
    let withHits = 0;
    for (let i = 0; i < 200; i++) {
      const q = randomQuery(rand);
      expect(q.length).toBeLessThanOrEqual(200);
      const user = searchers[i % searchers.length]!;
      if (textProblem(q)) {
        // NUL or a surrogate cut in half: refused as bad input, naming the field.
        const error = await expectApiError(search(a.ws, user, q), "BAD_REQUEST");
        if (!error.data.fieldErrors?.q) failures.push(`#${i} ${JSON.stringify(q)}: 400 without a q field error`);
        continue;
      }
      try {
        const result = await search(a.ws, user, q);
        if (result.hits.length) withHits++;
        if (!Array.isArray(result.hits)) failures.push(`#${i} ${JSON.stringify(q)}: hits is not an array`);
        else if (!result.hits.every((h) => aTaskIds.has(h.id)))
          failures.push(`#${i} ${JSON.stringify(q)}: a hit from another workspace`);
      } catch (error) {
        failures.push(`#${i} ${JSON.stringify(q)}: ${(error as Error).message}`);
      }
    }
    expect(failures).toEqual([]);
    // The loop is not only hitting the no-words shortcut: some random queries match real tasks.
    expect(withHits).toBeGreaterThan(5);
  });
});

describe("a search word's query (lanes_word_query)", () => {
  const words = ["cache", "timeout", "happy", "running", "deplo", "deploy", "the", "naïve", "abc123", "x", "studies"];
  const documents = [
    "Cache timeout on deploy",
    "caching runs happily",
    "The happiest run",
    "naïvely deployed abc1234",
    "xylophone studied",
    "nothing here",
  ];

  it("matches exactly what the word's plain and stemmed prefixes match together", async () => {
    const rows = await testDb().$queryRaw<Array<{ word: string; doc: string; now: boolean; before: boolean }>>`
      SELECT w AS word, d AS doc,
             (to_tsvector('english', d) || to_tsvector('simple', d)) @@ lanes_word_query(w) AS now,
             (to_tsvector('english', d) || to_tsvector('simple', d))
               @@ (to_tsquery('simple', w || ':*') || to_tsquery('english', w || ':*')) AS before
        FROM unnest(${words}::text[]) w, unnest(${documents}::text[]) d`;
    expect(rows).toHaveLength(words.length * documents.length);
    expect(rows.filter((r) => r.now !== r.before)).toEqual([]);
    expect(rows.filter((r) => r.now).length).toBeGreaterThan(10);
  });

  it("writes one prefix term when one form covers the other, both otherwise", async () => {
    const rows = await testDb().$queryRaw<Array<{ word: string; query: string }>>`
      SELECT w AS word, lanes_word_query(w)::text AS query FROM unnest(${["cache", "timeout", "happy"]}::text[]) w`;
    expect(Object.fromEntries(rows.map((r) => [r.word, r.query]))).toEqual({
      cache: "'cach':*",
      timeout: "'timeout':*",
      happy: "'happy':* | 'happi':*",
    });
  });
});

/** Letters only, unseen in any earlier test: a word the lexicon cannot already hold. */
function freshWord(): string {
  return `qz${[...uid()].map((c) => String.fromCharCode(97 + (parseInt(c, 16) % 26))).join("")}`;
}

describe("the search lexicon: prefixes expanded into exact lexemes (lanes_word_terms)", () => {
  it("learns a new word with the text, in the same transaction: new and edited tasks and comments", async () => {
    const { ws, member, project } = await setup();
    const [inTitle, inEdit, inComment, inEditedComment] = [freshWord(), freshWord(), freshWord(), freshWord()];
    const task = await makeTask(ws, project.id, { title: `Ship ${inTitle}` });
    // A prefix of each new word finds it at once: it expands to the word's own lexeme.
    expect(await hitIds(ws, member, inTitle.slice(0, 8))).toEqual([task.id]);
    await callerFor(member).task.update({
      workspaceSlug: ws.slug,
      taskId: task.id,
      version: task.version,
      patch: { description: `then ${inEdit}` },
    });
    expect(await hitIds(ws, member, inEdit.slice(0, 8))).toEqual([task.id]);
    const comment = await callerFor(member).comment.create({
      workspaceSlug: ws.slug,
      taskId: task.id,
      body: inComment,
    });
    expect(await hitIds(ws, member, inComment.slice(0, 8))).toEqual([task.id]);
    await callerFor(member).comment.update({
      workspaceSlug: ws.slug,
      commentId: comment.id,
      body: inEditedComment,
    });
    expect(await hitIds(ws, member, inEditedComment.slice(0, 8))).toEqual([task.id]);
    const listed = await callerFor(member).task.list({ workspaceSlug: ws.slug, filter: { q: inEdit.slice(0, 8) } });
    expect(listed.items.map((t) => t.id)).toEqual([task.id]);
    const lexicon = await testDb().$queryRaw<Array<{ workspaceId: string }>>`
      SELECT "workspaceId" FROM "SearchLexeme" WHERE "lexeme" = ANY(${[inTitle, inEdit, inComment, inEditedComment]}::text[])`;
    expect(lexicon).toEqual(Array.from({ length: 4 }, () => ({ workspaceId: ws.id })));
  });

  it("matches exactly what the prefixes match, for plain and stemmed forms, stop words and unknown words", async () => {
    const { ws, project } = await setup();
    const stem = freshWord();
    const titles = [`${stem}ing runs`, `${stem}ed happily`, `The ${stem}s`, `naïvely ${stem}`, "studies of caching"];
    for (const title of titles) await makeTask(ws, project.id, { title });
    const words = [
      stem,
      `${stem}in`,
      `${stem}e`,
      "run",
      "happi",
      "the",
      "naïv",
      "studi",
      "cach",
      "\u0301",
      freshWord(),
    ];
    for (const word of words) {
      const expanded = (await searchQuery(runOn(testDb()), ws.id, [word]))?.match;
      const byPrefix = await testDb().$queryRaw<Array<{ id: string }>>`
        SELECT id FROM "Task" WHERE "workspaceId" = ${ws.id} AND "searchVector" @@ lanes_word_query(${word}) ORDER BY id`;
      const byLexemes = expanded
        ? await testDb().$queryRaw<Array<{ id: string }>>`
            SELECT id FROM "Task" WHERE "workspaceId" = ${ws.id} AND "searchVector" @@ ${expanded} ORDER BY id`
        : [];
      expect({ word, ids: byLexemes }).toEqual({ word, ids: byPrefix });
    }
    // The new words were expanded (exact terms), not left as prefixes.
    const [terms] = await testDb().$queryRaw<Array<{ terms: string | null }>>`
      SELECT lanes_word_terms(${ws.id}, ${stem}, ${MAX_EXPANDED_LEXEMES}::int) AS terms`;
    // Exact lexemes (no :* prefix): the word itself among them, and only words of this test's making.
    expect(terms?.terms).toMatch(/^'[a-z]+'( \| '[a-z]+')+$/);
    const lexemes = terms?.terms?.match(/[a-z]+/g) ?? [];
    expect(lexemes).toContain(stem);
    expect(lexemes.every((lexeme) => lexeme.startsWith("qz"))).toBe(true);
    // A word nothing in the workspace contains needs no search statement at all.
    expect(await searchQuery(runOn(testDb()), ws.id, ["cach", freshWord()])).toBeNull();
    // A word made only of marks finds what the prefixes find. (Whether PostgreSQL's parser keeps it as
    // a lexeme depends on the database's locale; where it does not, the word drops out of the AND.)
    const withMark = await testDb().$queryRaw<Array<{ id: string }>>`
      SELECT id FROM "Task" WHERE "workspaceId" = ${ws.id}
         AND "searchVector" @@ (lanes_word_query(${stem}) && lanes_word_query(${"\u0301"})) ORDER BY id`;
    expect((await hitIds(ws, ws.owner, `${stem} \u0301`)).sort()).toEqual(withMark.map((r) => r.id));
  });

  it("keeps a prefix that covers too many lexemes as a prefix, with the same matches", async () => {
    const { ws, member, project } = await setup();
    const prefix = freshWord();
    const many = Array.from(
      { length: MAX_EXPANDED_LEXEMES + 1 },
      (_, i) => `${prefix}${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + Math.floor(i / 26))}x`,
    );
    // One statement for all: the insert trigger learns a whole statement's words at once.
    await testDb().task.createMany({
      data: many.map((word, i) => ({
        workspaceId: ws.id,
        projectId: project.id,
        creatorId: ws.owner.id,
        number: 1_000 + i,
        title: `About ${word}`,
        position: `c${String(i).padStart(3, "0")}`,
      })),
    });
    const [terms] = await testDb().$queryRaw<Array<{ terms: string | null }>>`
      SELECT lanes_word_terms(${ws.id}, ${prefix}, ${MAX_EXPANDED_LEXEMES}::int) AS terms`;
    expect(terms?.terms).toBeNull();
    const query = await searchQuery(runOn(testDb()), ws.id, [prefix]);
    expect(query?.match.sql).toContain("lanes_word_query");
    const listed = await callerFor(member).task.list({ workspaceSlug: ws.slug, filter: { q: prefix }, limit: 100 });
    expect(listed.items).toHaveLength(many.length);
  });

  it("is per workspace: another tenant's words never reach this workspace's search, and go with its workspace", async () => {
    const mine = await setup();
    const theirs = await setup();
    const secret = freshWord();
    await makeTask(theirs.ws, theirs.project.id, { title: `Their ${secret}` });
    // This workspace has no lexeme for it: nothing to search, exactly as for a word nobody wrote.
    expect(await searchQuery(runOn(testDb()), mine.ws.id, [secret.slice(0, 6)])).toBeNull();
    expect(await searchQuery(runOn(testDb()), theirs.ws.id, [secret.slice(0, 6)])).not.toBeNull();
    expect(await hitIds(mine.ws, mine.member, secret.slice(0, 6))).toEqual([]);
    await testDb().workspace.delete({ where: { id: theirs.ws.id } });
    const left = await testDb().searchLexeme.count({ where: { workspaceId: theirs.ws.id } });
    expect(left).toBe(0);
  });

  it("ranks with the words' prefixes, not their expansion: a title hit outranks a comment hit as before", async () => {
    const { ws, member, project } = await setup();
    const word = freshWord();
    const inTitle = await makeTask(ws, project.id, { title: `Cache ${word} timeout` });
    const other = await makeTask(ws, project.id, { title: "Something else" });
    await callerFor(member).comment.create({ workspaceSlug: ws.slug, taskId: other.id, body: `cache ${word} timeout` });
    const query = await searchQuery(runOn(testDb()), ws.id, ["cache", word]);
    expect(query?.match.sql).not.toContain("lanes_word_query"); // expanded
    expect(query?.rank.sql).toContain("lanes_word_query");
    expect((await search(ws, member, `cache ${word}`)).hits.map((h) => [h.id, h.matchedIn])).toEqual([
      [inTitle.id, "task"],
      [other.id, "comment"],
    ]);
  });
});
