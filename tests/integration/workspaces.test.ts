import { describe, expect, it } from "vitest";
import "../setup/file-db";
import { addMember, callerFor, makeUser, makeWorkspace } from "../helpers/factories";
import { expectApiError } from "../helpers/errors";

describe("workspace.create", () => {
  it("creates a workspace owned by the caller", async () => {
    const user = await makeUser();
    const caller = callerFor(user);
    const created = await caller.workspace.create({ name: "Acme", slug: `acme-${user.id.slice(-6)}` });
    expect(created).toMatchObject({ name: "Acme", role: "OWNER", memberCount: 1 });
    const list = await caller.workspace.list();
    expect(list.map((w) => w.slug)).toContain(created.slug);
  });

  it("answers UNAUTHORIZED when signed out", async () => {
    await expectApiError(callerFor(null).workspace.create({ name: "X", slug: "xx-yy" }), "UNAUTHORIZED");
  });

  it("rejects bad input with field errors", async () => {
    const caller = callerFor(await makeUser());
    const empty = await expectApiError(caller.workspace.create({ name: "   ", slug: "ok-slug" }), "BAD_REQUEST");
    expect(empty.data.fieldErrors?.name).toBeDefined();
    const long = await expectApiError(caller.workspace.create({ name: "A", slug: "a".repeat(10_000) }), "BAD_REQUEST");
    expect(long.data.fieldErrors?.slug).toBeDefined();
    const unknown = await expectApiError(
      caller.workspace.create({ name: "A", slug: "abc", extra: 1 } as never),
      "BAD_REQUEST",
    );
    expect(Object.keys(unknown.data.fieldErrors ?? {})).toContain("");
    const wrongType = await expectApiError(caller.workspace.create({ name: 42, slug: "abc" } as never), "BAD_REQUEST");
    expect(wrongType.data.fieldErrors?.name).toBeDefined();
  });

  it("reports a taken slug as a field error", async () => {
    const ws = await makeWorkspace();
    const other = callerFor(await makeUser());
    const error = await expectApiError(other.workspace.create({ name: "Dup", slug: ws.slug }), "CONFLICT");
    expect(error.data.fieldErrors?.slug).toEqual(["That address is taken; try another"]);
  });
});

describe("tenancy", () => {
  it("answers NOT_FOUND for another tenant's workspace", async () => {
    const a = await makeWorkspace();
    const b = await makeWorkspace();
    await expectApiError(callerFor(a.owner).workspace.get({ workspaceSlug: b.slug }), "NOT_FOUND");
    await expectApiError(callerFor(a.owner).member.list({ workspaceSlug: b.slug }), "NOT_FOUND");
  });

  it("lets a viewer read but not rename", async () => {
    const ws = await makeWorkspace();
    const viewer = await addMember(ws, "VIEWER");
    await expect(callerFor(viewer).workspace.get({ workspaceSlug: ws.slug })).resolves.toMatchObject({
      role: "VIEWER",
    });
    await expectApiError(callerFor(viewer).workspace.rename({ workspaceSlug: ws.slug, name: "Nope" }), "FORBIDDEN");
  });
});
