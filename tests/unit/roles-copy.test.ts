/** The role-change confirmation says what changes, straight from the permission table. */
import { describe, expect, it } from "vitest";
import { ROLES } from "@/shared/roles";
import { roleChange } from "@/features/workspace/roles-copy";

describe("roleChange", () => {
  it("a Member made Viewer loses editing and commenting, gains nothing", () => {
    expect(roleChange("MEMBER", "VIEWER")).toEqual({
      gains: [],
      loses: ["create, edit and delete tasks", "comment on tasks", "manage labels"],
    });
  });

  it("a Viewer made Admin gains what admins do, but not deleting the workspace", () => {
    const { gains, loses } = roleChange("VIEWER", "ADMIN");
    expect(loses).toEqual([]);
    expect(gains).toContain("invite people, change roles and remove members");
    expect(gains).toContain("create, edit and delete tasks");
    expect(gains).not.toContain("delete the workspace");
  });

  it("is symmetric, and empty for the same role", () => {
    for (const from of ROLES) {
      for (const to of ROLES) {
        const there = roleChange(from, to);
        const back = roleChange(to, from);
        expect(there.gains).toEqual(back.loses);
        if (from === to) expect(there).toEqual({ gains: [], loses: [] });
        else expect(there.gains.length + there.loses.length, `${from} → ${to} changes something`).toBeGreaterThan(0);
      }
    }
  });
});
