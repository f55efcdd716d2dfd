import { describe, expect, it } from "vitest";
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

/** A project row made directly, so these tests do not depend on project.create. */
function makeProjectRow(ws: TestWorkspace) {
  const key = `C${uid().slice(0, 5).toUpperCase()}`;
  return testDb().project.create({
    data: { workspaceId: ws.id, key, name: `Project ${key}` },
    select: { id: true, key: true },
  });
}

/** A fresh workspace with one member of every role, a project and a task. */
async function setup() {
  const ws = await makeWorkspace();
  const admin = await addMember(ws, "ADMIN");
  const alice = await addMember(ws, "MEMBER");
  const bob = await addMember(ws, "MEMBER");
  const viewer = await addMember(ws, "VIEWER");
  const project = await makeProjectRow(ws);
  const task = await makeTask(ws, project.id, { title: "Write the launch post" });
  return { ws, owner: ws.owner, admin, alice, bob, viewer, project, task };
}

function comment(ws: TestWorkspace, user: TestUser, taskId: string, body: string) {
  return callerFor(user).comment.create({ workspaceSlug: ws.slug, taskId, body });
}

/** MENTION notifications a user has in a workspace, oldest first. */
function mentionsOf(user: TestUser, workspaceId: string) {
  return testDb().notification.findMany({
    where: { userId: user.id, workspaceId, type: "MENTION" },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: { id: true, userId: true, actorId: true, taskId: true, commentId: true, readAt: true, type: true },
  });
}

async function listAll(ws: TestWorkspace, user: TestUser, taskId: string) {
  const page = await callerFor(user).comment.list({ workspaceSlug: ws.slug, taskId, limit: 100 });
  expect(page.nextCursor).toBeNull();
  return page.items;
}

describe("comment.create", () => {
  it("stores the Markdown body exactly as written and returns it with its author", async () => {
    const { ws, alice, task } = await setup();
    const body = [
      "# Heading",
      "",
      "Some **bold**, _italic_ and `inline code` with <b>html</b> & entities &amp;.",
      "",
      "- [ ] a task list item",
      "- [x] done item",
      "",
      "```ts",
      "const answer: number = 42; // \"quotes\" 'single'",
      "```",
      "",
      "| a | b |",
      "|---|---|",
      "| 1 | 2 |",
      "",
      "> quoted\\",
      "Ünïcödé 🙂 日本語",
    ].join("\n");
    const created = await comment(ws, alice, task.id, body);
    expect(created).toMatchObject({
      taskId: task.id,
      body,
      editedAt: null,
      author: { id: alice.id, email: alice.email, handle: alice.handle },
    });
    expect(created.createdAt).toBeInstanceOf(Date);

    const stored = await testDb().comment.findUniqueOrThrow({
      where: { id: created.id },
      select: { body: true, authorId: true, workspaceId: true, taskId: true, deletedAt: true },
    });
    expect(stored).toEqual({ body, authorId: alice.id, workspaceId: ws.id, taskId: task.id, deletedAt: null });

    const items = await listAll(ws, alice, task.id);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ id: created.id, body, author: { id: alice.id } });
  });

  it("accepts a body of exactly 10,000 characters", async () => {
    const { ws, alice, task } = await setup();
    const body = "y".repeat(10_000);
    const created = await comment(ws, alice, task.id, body);
    expect(created.body).toHaveLength(10_000);
  });

  it("creates exactly one MENTION notification for each mentioned member, none for the author", async () => {
    const { ws, alice, bob, viewer, admin, task } = await setup();
    const body = `Hey @${bob.handle}, can you look? cc @${viewer.handle} and me @${alice.handle}. Again @${bob.handle}!`;
    const created = await comment(ws, alice, task.id, body);

    const bobs = await mentionsOf(bob, ws.id);
    expect(bobs).toEqual([
      {
        id: expect.any(String),
        userId: bob.id,
        actorId: alice.id,
        taskId: task.id,
        commentId: created.id,
        readAt: null,
        type: "MENTION",
      },
    ]);
    const viewers = await mentionsOf(viewer, ws.id);
    expect(viewers).toHaveLength(1);
    expect(viewers[0]).toMatchObject({ actorId: alice.id, taskId: task.id, commentId: created.id });
    expect(await mentionsOf(alice, ws.id)).toEqual([]);
    expect(await mentionsOf(admin, ws.id)).toEqual([]);
    expect(await testDb().notification.count({ where: { workspaceId: ws.id } })).toBe(2);
  });

  it("notifies a member mentioned at the very start of the body or after punctuation", async () => {
    const { ws, alice, bob, viewer, task } = await setup();
    await comment(ws, alice, task.id, `@${bob.handle} please review`);
    await comment(ws, alice, task.id, `(@${viewer.handle}) fyi`);
    expect(await mentionsOf(bob, ws.id)).toHaveLength(1);
    expect(await mentionsOf(viewer, ws.id)).toHaveLength(1);
  });

  it("does not notify the author mentioning only themselves", async () => {
    const { ws, alice, task } = await setup();
    await comment(ws, alice, task.id, `Note to self @${alice.handle}: follow up`);
    expect(await mentionsOf(alice, ws.id)).toEqual([]);
    expect(await testDb().notification.count({ where: { workspaceId: ws.id } })).toBe(0);
  });

  it("does not notify a non-member, even one who belongs to another workspace", async () => {
    const { ws, alice, task } = await setup();
    const stranger = await makeUser("stranger");
    const other = await makeWorkspace();
    const otherMember = await addMember(other, "MEMBER");
    await comment(
      ws,
      alice,
      task.id,
      `Paging @${stranger.handle} and @${otherMember.handle} and @${other.owner.handle}`,
    );
    // A longer handle that merely starts with a member's handle is someone else.
    const bob = await addMember(ws, "MEMBER");
    await comment(ws, alice, task.id, `Paging @${bob.handle}x and @${bob.handle}_y`);
    expect(await mentionsOf(bob, ws.id)).toEqual([]);
    expect(
      await testDb().notification.count({ where: { userId: { in: [stranger.id, otherMember.id, other.owner.id] } } }),
    ).toBe(0);
    expect(await testDb().notification.count({ where: { workspaceId: ws.id } })).toBe(0);
  });

  it("does not notify for handles inside inline code or fenced code blocks", async () => {
    const { ws, alice, bob, task } = await setup();
    await comment(ws, alice, task.id, `Run \`notify @${bob.handle}\` to test`);
    await comment(ws, alice, task.id, ["Example:", "```", `@${bob.handle} hello`, "```", "done"].join("\n"));
    await comment(ws, alice, task.id, ["```js", `// @${bob.handle}`, "```"].join("\n"));
    await comment(ws, alice, task.id, ["~~~", `@${bob.handle}`, "~~~"].join("\n"));
    expect(await mentionsOf(bob, ws.id)).toEqual([]);
  });

  it("does not treat an email address as a mention", async () => {
    const { ws, alice, bob, task } = await setup();
    // Give bob the handle "example" so "someone@example.com" would notify him if emails counted.
    await testDb().user.update({ where: { id: bob.id }, data: { handle: "example" } });
    await comment(ws, alice, task.id, "Mail someone@example.com about it");
    await comment(ws, alice, task.id, `Or write to me@${alice.handle}.com`);
    expect(await mentionsOf(bob, ws.id)).toEqual([]);
    // …while a real mention of the same handle does notify.
    await comment(ws, alice, task.id, "Thanks @example!");
    expect(await mentionsOf(bob, ws.id)).toHaveLength(1);
  });

  it("answers NOT_FOUND for a deleted task", async () => {
    const { ws, alice, task } = await setup();
    await callerFor(ws.owner).task.delete({ workspaceSlug: ws.slug, taskId: task.id });
    await expectApiError(comment(ws, alice, task.id, "too late"), "NOT_FOUND");
    await expectApiError(callerFor(alice).comment.list({ workspaceSlug: ws.slug, taskId: task.id }), "NOT_FOUND");
  });
});

describe("comment.update", () => {
  it("lets the author edit; sets editedAt and keeps the new body", async () => {
    const { ws, alice, task } = await setup();
    const created = await comment(ws, alice, task.id, "first draft");
    const updated = await callerFor(alice).comment.update({
      workspaceSlug: ws.slug,
      commentId: created.id,
      body: "**second** draft",
    });
    expect(updated).toMatchObject({ id: created.id, body: "**second** draft", author: { id: alice.id } });
    expect(updated.editedAt).toBeInstanceOf(Date);
    const items = await listAll(ws, alice, task.id);
    expect(items.map((c) => [c.id, c.body])).toEqual([[created.id, "**second** draft"]]);
    expect(items[0]!.editedAt).toBeInstanceOf(Date);
  });

  it("notifies only people newly mentioned by an edit", async () => {
    const { ws, alice, bob, viewer, admin, task } = await setup();
    const created = await comment(ws, alice, task.id, `cc @${bob.handle}`);
    expect(await mentionsOf(bob, ws.id)).toHaveLength(1);

    await callerFor(alice).comment.update({
      workspaceSlug: ws.slug,
      commentId: created.id,
      body: `cc @${bob.handle} and @${viewer.handle}`,
    });
    expect(await mentionsOf(bob, ws.id)).toHaveLength(1);
    const viewers = await mentionsOf(viewer, ws.id);
    expect(viewers).toHaveLength(1);
    expect(viewers[0]).toMatchObject({ actorId: alice.id, taskId: task.id, commentId: created.id });

    // Re-saving the same mentions, or adding yourself, notifies nobody.
    await callerFor(alice).comment.update({
      workspaceSlug: ws.slug,
      commentId: created.id,
      body: `cc @${bob.handle} and @${viewer.handle} (edited) @${alice.handle}`,
    });
    // A mention inside code in an edit still does not count.
    await callerFor(alice).comment.update({
      workspaceSlug: ws.slug,
      commentId: created.id,
      body: `cc @${bob.handle} and @${viewer.handle} \`@${admin.handle}\``,
    });
    expect(await mentionsOf(bob, ws.id)).toHaveLength(1);
    expect(await mentionsOf(viewer, ws.id)).toHaveLength(1);
    expect(await mentionsOf(alice, ws.id)).toHaveLength(0);
    expect(await mentionsOf(admin, ws.id)).toHaveLength(0);
    expect(await testDb().notification.count({ where: { workspaceId: ws.id } })).toBe(2);

    // Taking the admin's handle out of code makes it a new mention.
    await callerFor(alice).comment.update({
      workspaceSlug: ws.slug,
      commentId: created.id,
      body: `cc @${bob.handle} and @${viewer.handle} @${admin.handle}`,
    });
    expect(await mentionsOf(admin, ws.id)).toHaveLength(1);
    expect(await testDb().notification.count({ where: { workspaceId: ws.id } })).toBe(3);
  });

  it("forbids editing someone else's comment, even for admins and owners", async () => {
    const { ws, alice, bob, admin, owner, task } = await setup();
    const created = await comment(ws, alice, task.id, "alice wrote this");
    for (const other of [bob, admin, owner]) {
      await expectApiError(
        callerFor(other).comment.update({ workspaceSlug: ws.slug, commentId: created.id, body: "hijacked" }),
        "FORBIDDEN",
      );
    }
    const stored = await testDb().comment.findUniqueOrThrow({
      where: { id: created.id },
      select: { body: true, editedAt: true },
    });
    expect(stored).toEqual({ body: "alice wrote this", editedAt: null });
  });

  it("answers NOT_FOUND for a deleted comment", async () => {
    const { ws, alice, task } = await setup();
    const created = await comment(ws, alice, task.id, "short-lived");
    await callerFor(alice).comment.delete({ workspaceSlug: ws.slug, commentId: created.id });
    await expectApiError(
      callerFor(alice).comment.update({ workspaceSlug: ws.slug, commentId: created.id, body: "revived?" }),
      "NOT_FOUND",
    );
    await expectApiError(
      callerFor(alice).comment.update({ workspaceSlug: ws.slug, commentId: "no-such-comment", body: "x" }),
      "NOT_FOUND",
    );
  });
});

describe("comment.delete", () => {
  it("lets the author delete; the comment vanishes from the list", async () => {
    const { ws, alice, task } = await setup();
    const keep = await comment(ws, alice, task.id, "keep me");
    const gone = await comment(ws, alice, task.id, "delete me");
    await expect(callerFor(alice).comment.delete({ workspaceSlug: ws.slug, commentId: gone.id })).resolves.toEqual({
      ok: true,
    });
    const items = await listAll(ws, alice, task.id);
    expect(items.map((c) => c.id)).toEqual([keep.id]);
    const stored = await testDb().comment.findUniqueOrThrow({ where: { id: gone.id }, select: { deletedAt: true } });
    expect(stored.deletedAt).toBeInstanceOf(Date);
    // Deleting twice: it is gone.
    await expectApiError(callerFor(alice).comment.delete({ workspaceSlug: ws.slug, commentId: gone.id }), "NOT_FOUND");
  });

  it("forbids another MEMBER from deleting", async () => {
    const { ws, alice, bob, task } = await setup();
    const created = await comment(ws, alice, task.id, "mine");
    await expectApiError(callerFor(bob).comment.delete({ workspaceSlug: ws.slug, commentId: created.id }), "FORBIDDEN");
    expect((await listAll(ws, alice, task.id)).map((c) => c.id)).toEqual([created.id]);
  });

  it("lets an ADMIN or OWNER delete anyone's comment", async () => {
    const { ws, alice, bob, admin, owner, task } = await setup();
    const byAlice = await comment(ws, alice, task.id, "by alice");
    const byOwner = await comment(ws, owner, task.id, "by owner");
    const byBob = await comment(ws, bob, task.id, "by bob");
    await expect(callerFor(admin).comment.delete({ workspaceSlug: ws.slug, commentId: byAlice.id })).resolves.toEqual({
      ok: true,
    });
    await expect(callerFor(admin).comment.delete({ workspaceSlug: ws.slug, commentId: byOwner.id })).resolves.toEqual({
      ok: true,
    });
    await expect(callerFor(owner).comment.delete({ workspaceSlug: ws.slug, commentId: byBob.id })).resolves.toEqual({
      ok: true,
    });
    expect(await listAll(ws, alice, task.id)).toEqual([]);
  });
});

describe("viewers", () => {
  it("cannot comment, edit or delete, but can list", async () => {
    const { ws, alice, viewer, task } = await setup();
    const created = await comment(ws, alice, task.id, "visible to viewers");
    await expectApiError(comment(ws, viewer, task.id, "let me in"), "FORBIDDEN");
    await expectApiError(
      callerFor(viewer).comment.update({ workspaceSlug: ws.slug, commentId: created.id, body: "x" }),
      "FORBIDDEN",
    );
    await expectApiError(
      callerFor(viewer).comment.delete({ workspaceSlug: ws.slug, commentId: created.id }),
      "FORBIDDEN",
    );
    const items = await listAll(ws, viewer, task.id);
    expect(items.map((c) => [c.id, c.body])).toEqual([[created.id, "visible to viewers"]]);
    expect(await testDb().comment.count({ where: { taskId: task.id } })).toBe(1);
  });
});

describe("comment.list", () => {
  it("pages with limit 2 through every comment, oldest first, each exactly once", async () => {
    const { ws, alice, bob, task } = await setup();
    const created: string[] = [];
    for (let i = 1; i <= 5; i++)
      created.push((await comment(ws, i % 2 ? alice : bob, task.id, `comment number ${i}`)).id);

    const seen: string[] = [];
    const bodies: string[] = [];
    const pageSizes: number[] = [];
    let cursor: string | null = null;
    for (let guard = 0; guard < 10; guard++) {
      const page: Awaited<ReturnType<ReturnType<typeof callerFor>["comment"]["list"]>> = await callerFor(
        bob,
      ).comment.list({ workspaceSlug: ws.slug, taskId: task.id, limit: 2, cursor });
      pageSizes.push(page.items.length);
      for (const item of page.items) {
        seen.push(item.id);
        bodies.push(item.body);
      }
      cursor = page.nextCursor;
      if (!cursor) break;
    }
    expect(pageSizes).toEqual([2, 2, 1]);
    expect(seen).toEqual(created);
    expect(bodies).toEqual([
      "comment number 1",
      "comment number 2",
      "comment number 3",
      "comment number 4",
      "comment number 5",
    ]);
    expect((await listAll(ws, bob, task.id)).map((c) => c.id)).toEqual(created);
  });

  it("only lists the task's own comments", async () => {
    const { ws, alice, project, task } = await setup();
    const otherTask = await makeTask(ws, project.id, { title: "Another task" });
    const mine = await comment(ws, alice, task.id, "on the first task");
    const theirs = await comment(ws, alice, otherTask.id, "on the second task");
    expect((await listAll(ws, alice, task.id)).map((c) => c.id)).toEqual([mine.id]);
    expect((await listAll(ws, alice, otherTask.id)).map((c) => c.id)).toEqual([theirs.id]);
  });

  it("rejects a garbage cursor and out-of-range limits", async () => {
    const { ws, alice, task } = await setup();
    const cursor = await expectApiError(
      callerFor(alice).comment.list({ workspaceSlug: ws.slug, taskId: task.id, cursor: "not-a-cursor" }),
      "BAD_REQUEST",
    );
    expect(cursor.data.fieldErrors?.cursor).toBeDefined();
    const zero = await expectApiError(
      callerFor(alice).comment.list({ workspaceSlug: ws.slug, taskId: task.id, limit: 0 }),
      "BAD_REQUEST",
    );
    expect(zero.data.fieldErrors?.limit).toBeDefined();
    const big = await expectApiError(
      callerFor(alice).comment.list({ workspaceSlug: ws.slug, taskId: task.id, limit: 101 }),
      "BAD_REQUEST",
    );
    expect(big.data.fieldErrors?.limit).toBeDefined();
  });
});

describe("validation", () => {
  it("rejects empty, whitespace-only and over-long bodies with fieldErrors.body", async () => {
    const { ws, alice, task } = await setup();
    for (const body of ["", "   ", "\n\t  \n", "x".repeat(10_001)]) {
      const error = await expectApiError(comment(ws, alice, task.id, body), "BAD_REQUEST");
      expect(error.data.fieldErrors?.body, JSON.stringify(body.slice(0, 20))).toHaveLength(1);
    }
    const wrongType = await expectApiError(
      callerFor(alice).comment.create({ workspaceSlug: ws.slug, taskId: task.id, body: 42 } as never),
      "BAD_REQUEST",
    );
    expect(wrongType.data.fieldErrors?.body).toBeDefined();
    expect(await testDb().comment.count({ where: { taskId: task.id } })).toBe(0);
  });

  it("rejects bad bodies on update too, leaving the comment unchanged", async () => {
    const { ws, alice, task } = await setup();
    const created = await comment(ws, alice, task.id, "original");
    for (const body of ["", "  \n ", "z".repeat(10_001)]) {
      const error = await expectApiError(
        callerFor(alice).comment.update({ workspaceSlug: ws.slug, commentId: created.id, body }),
        "BAD_REQUEST",
      );
      expect(error.data.fieldErrors?.body).toHaveLength(1);
    }
    expect((await listAll(ws, alice, task.id)).map((c) => c.body)).toEqual(["original"]);
  });

  it("rejects unknown fields with a form-level error", async () => {
    const { ws, alice, task } = await setup();
    const create = await expectApiError(
      callerFor(alice).comment.create({
        workspaceSlug: ws.slug,
        taskId: task.id,
        body: "hi",
        authorId: alice.id,
      } as never),
      "BAD_REQUEST",
    );
    expect(Object.keys(create.data.fieldErrors ?? {})).toContain("");
    const created = await comment(ws, alice, task.id, "hello");
    const update = await expectApiError(
      callerFor(alice).comment.update({
        workspaceSlug: ws.slug,
        commentId: created.id,
        body: "x",
        pinned: true,
      } as never),
      "BAD_REQUEST",
    );
    expect(Object.keys(update.data.fieldErrors ?? {})).toContain("");
    const del = await expectApiError(
      callerFor(alice).comment.delete({ workspaceSlug: ws.slug, commentId: created.id, force: true } as never),
      "BAD_REQUEST",
    );
    expect(Object.keys(del.data.fieldErrors ?? {})).toContain("");
    const list = await expectApiError(
      callerFor(alice).comment.list({ workspaceSlug: ws.slug, taskId: task.id, extra: 1 } as never),
      "BAD_REQUEST",
    );
    expect(Object.keys(list.data.fieldErrors ?? {})).toContain("");
    expect((await listAll(ws, alice, task.id)).map((c) => c.body)).toEqual(["hello"]);
  });
});

describe("tenancy", () => {
  it("answers NOT_FOUND for another workspace's task or comment used through your own workspace", async () => {
    const a = await setup();
    const b = await setup();
    // Alice of A also belongs to B, so only the tenant scope of A's slug stands in the way.
    await addMember(b.ws, "MEMBER", a.alice);
    const bComment = await comment(b.ws, b.alice, b.task.id, `B's secret @${b.bob.handle}`);

    await expectApiError(comment(a.ws, a.alice, b.task.id, "cross-tenant"), "NOT_FOUND");
    await expectApiError(callerFor(a.alice).comment.list({ workspaceSlug: a.ws.slug, taskId: b.task.id }), "NOT_FOUND");
    await expectApiError(
      callerFor(a.alice).comment.update({ workspaceSlug: a.ws.slug, commentId: bComment.id, body: "hacked" }),
      "NOT_FOUND",
    );
    await expectApiError(
      callerFor(a.owner).comment.delete({ workspaceSlug: a.ws.slug, commentId: bComment.id }),
      "NOT_FOUND",
    );

    const stored = await testDb().comment.findUniqueOrThrow({
      where: { id: bComment.id },
      select: { body: true, deletedAt: true },
    });
    expect(stored).toEqual({ body: `B's secret @${b.bob.handle}`, deletedAt: null });
    expect(await testDb().comment.count({ where: { taskId: b.task.id } })).toBe(1);
  });

  it("answers NOT_FOUND to a non-member and UNAUTHORIZED when signed out", async () => {
    const { ws, alice, task } = await setup();
    await comment(ws, alice, task.id, "members only");
    const outsider = await makeUser("outsider");
    await expectApiError(callerFor(outsider).comment.list({ workspaceSlug: ws.slug, taskId: task.id }), "NOT_FOUND");
    await expectApiError(comment(ws, outsider, task.id, "hi"), "NOT_FOUND");
    await expectApiError(callerFor(null).comment.list({ workspaceSlug: ws.slug, taskId: task.id }), "UNAUTHORIZED");
  });
});

describe("notifications", () => {
  it("lists the caller's own mentions newest first with an unread count, and marks them read", async () => {
    const { ws, alice, bob, viewer, task } = await setup();
    const first = await comment(ws, alice, task.id, `first @${bob.handle}`);
    await comment(ws, alice, task.id, `also @${viewer.handle}`);
    const second = await comment(ws, alice, task.id, `second @${bob.handle}`);
    const bobRows = await mentionsOf(bob, ws.id);
    expect(bobRows.map((n) => n.commentId)).toEqual([first.id, second.id]);

    const list = await callerFor(bob).notification.list({ workspaceSlug: ws.slug });
    expect(list.unreadCount).toBe(2);
    expect(list.nextCursor).toBeNull();
    expect(list.items.map((n) => n.id)).toEqual([bobRows[1]!.id, bobRows[0]!.id]);
    for (const item of list.items) {
      expect(item).toMatchObject({
        type: "MENTION",
        readAt: null,
        actor: { id: alice.id, handle: alice.handle },
        task: { ref: task.ref, title: "Write the launch post" },
      });
    }

    // Another user cannot mark bob's notifications read.
    const viewerRows = await mentionsOf(viewer, ws.id);
    await expect(
      callerFor(viewer).notification.markRead({ workspaceSlug: ws.slug, notificationIds: bobRows.map((n) => n.id) }),
    ).resolves.toEqual({ updated: 0 });
    expect((await callerFor(bob).notification.list({ workspaceSlug: ws.slug })).unreadCount).toBe(2);
    expect((await mentionsOf(bob, ws.id)).every((n) => n.readAt === null)).toBe(true);

    // Bob marks one of his, plus one of the viewer's ids: only his own changes.
    await expect(
      callerFor(bob).notification.markRead({
        workspaceSlug: ws.slug,
        notificationIds: [bobRows[0]!.id, viewerRows[0]!.id],
      }),
    ).resolves.toEqual({ updated: 1 });
    const after = await callerFor(bob).notification.list({ workspaceSlug: ws.slug });
    expect(after.unreadCount).toBe(1);
    expect(after.items.find((n) => n.id === bobRows[0]!.id)?.readAt).toBeInstanceOf(Date);
    expect(after.items.find((n) => n.id === bobRows[1]!.id)?.readAt).toBeNull();
    const unreadOnly = await callerFor(bob).notification.list({ workspaceSlug: ws.slug, unreadOnly: true });
    expect(unreadOnly.items.map((n) => n.id)).toEqual([bobRows[1]!.id]);
    expect((await mentionsOf(viewer, ws.id)).map((n) => n.readAt)).toEqual([null]);
    expect((await callerFor(viewer).notification.list({ workspaceSlug: ws.slug })).unreadCount).toBe(1);

    // Marking everything read touches only the caller's own.
    await expect(callerFor(bob).notification.markRead({ workspaceSlug: ws.slug })).resolves.toEqual({ updated: 1 });
    expect((await callerFor(bob).notification.list({ workspaceSlug: ws.slug })).unreadCount).toBe(0);
    expect((await callerFor(viewer).notification.list({ workspaceSlug: ws.slug })).unreadCount).toBe(1);
    // Already read: nothing more to update.
    await expect(
      callerFor(bob).notification.markRead({ workspaceSlug: ws.slug, notificationIds: [bobRows[0]!.id] }),
    ).resolves.toEqual({ updated: 0 });

    // Alice (the author) has none.
    const alices = await callerFor(alice).notification.list({ workspaceSlug: ws.slug });
    expect(alices).toEqual({ items: [], nextCursor: null, unreadCount: 0 });
  });

  it("keeps notifications per workspace", async () => {
    const a = await setup();
    const b = await setup();
    const shared = a.bob;
    await addMember(b.ws, "MEMBER", shared);
    await comment(a.ws, a.alice, a.task.id, `in A @${shared.handle}`);
    await comment(b.ws, b.alice, b.task.id, `in B @${shared.handle}`);
    const inA = await callerFor(shared).notification.list({ workspaceSlug: a.ws.slug });
    const inB = await callerFor(shared).notification.list({ workspaceSlug: b.ws.slug });
    expect(inA.unreadCount).toBe(1);
    expect(inB.unreadCount).toBe(1);
    expect(inA.items.map((n) => n.task?.ref)).toEqual([a.task.ref]);
    expect(inB.items.map((n) => n.task?.ref)).toEqual([b.task.ref]);
    // Marking all read in A leaves B's unread.
    await expect(callerFor(shared).notification.markRead({ workspaceSlug: a.ws.slug })).resolves.toEqual({
      updated: 1,
    });
    expect((await callerFor(shared).notification.list({ workspaceSlug: b.ws.slug })).unreadCount).toBe(1);
    // B's notification id through A's slug is not touched.
    const bRows = await mentionsOf(shared, b.ws.id);
    await expect(
      callerFor(shared).notification.markRead({ workspaceSlug: a.ws.slug, notificationIds: [bRows[0]!.id] }),
    ).resolves.toEqual({ updated: 0 });
    expect((await mentionsOf(shared, b.ws.id)).map((n) => n.readAt)).toEqual([null]);
  });

  it("rejects bad markRead input", async () => {
    const { ws, bob } = await setup();
    const empty = await expectApiError(
      callerFor(bob).notification.markRead({ workspaceSlug: ws.slug, notificationIds: [] }),
      "BAD_REQUEST",
    );
    expect(empty.data.fieldErrors?.notificationIds).toBeDefined();
    const tooMany = await expectApiError(
      callerFor(bob).notification.markRead({
        workspaceSlug: ws.slug,
        notificationIds: Array.from({ length: 101 }, (_, i) => `id${i}`),
      }),
      "BAD_REQUEST",
    );
    expect(tooMany.data.fieldErrors?.notificationIds).toBeDefined();
  });
});

describe("activity", () => {
  it("records comment.created, comment.edited and comment.deleted with the task id", async () => {
    const { ws, alice, bob, admin, task } = await setup();
    const created = await comment(ws, alice, task.id, `draft @${bob.handle}`);
    await callerFor(alice).comment.update({ workspaceSlug: ws.slug, commentId: created.id, body: "final" });
    await callerFor(admin).comment.delete({ workspaceSlug: ws.slug, commentId: created.id });

    const events = await testDb().activityEvent.findMany({
      where: { workspaceId: ws.id, entityType: "comment" },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      select: { action: true, entityId: true, commentId: true, taskId: true, actorId: true, before: true, after: true },
    });
    expect(events).toEqual([
      // No comment text in the trail: events point at the comment instead.
      {
        action: "comment.created",
        entityId: created.id,
        commentId: created.id,
        taskId: task.id,
        actorId: alice.id,
        before: null,
        after: { mentioned: [bob.handle] },
      },
      {
        action: "comment.edited",
        entityId: created.id,
        commentId: created.id,
        taskId: task.id,
        actorId: alice.id,
        before: null,
        after: null,
      },
      {
        action: "comment.deleted",
        entityId: created.id,
        commentId: created.id,
        taskId: task.id,
        actorId: admin.id,
        before: { authorId: alice.id },
        after: null,
      },
    ]);

    const history = await callerFor(bob).activity.forTask({ workspaceSlug: ws.slug, taskId: task.id });
    expect(history.items.map((e) => e.action)).toEqual([
      "task.created",
      "comment.created",
      "comment.edited",
      "comment.deleted",
    ]);
    expect(history.items.slice(1).every((e) => e.task?.id === task.id && e.entityId === created.id)).toBe(true);
  });

  it("records nothing when a comment is refused", async () => {
    const { ws, alice, bob, viewer, task } = await setup();
    const created = await comment(ws, alice, task.id, "mine");
    await expectApiError(
      callerFor(bob).comment.update({ workspaceSlug: ws.slug, commentId: created.id, body: "nope" }),
      "FORBIDDEN",
    );
    await expectApiError(callerFor(bob).comment.delete({ workspaceSlug: ws.slug, commentId: created.id }), "FORBIDDEN");
    await expectApiError(comment(ws, viewer, task.id, "nope"), "FORBIDDEN");
    const actions = await testDb().activityEvent.findMany({
      where: { workspaceId: ws.id, entityType: "comment" },
      select: { action: true },
    });
    expect(actions).toEqual([{ action: "comment.created" }]);
  });
});
