import { describe, expect, it } from "vitest";
import {
  PERMISSIONS,
  PERSON_ONLY,
  ROLES,
  can,
  highestScope,
  keyRole,
  lowerRole,
  outranksOrEquals,
  scopesUpTo,
  type Permission,
  type Role,
} from "@/shared/roles";

const permissions = Object.keys(PERMISSIONS) as Permission[];
const cases = permissions.flatMap((permission) => ROLES.map((role) => ({ permission, role })));

/** The expected table, written out independently of PERMISSIONS. */
const EXPECTED: Record<Permission, Role[]> = {
  "workspace.read": ["OWNER", "ADMIN", "MEMBER", "VIEWER"],
  "workspace.update": ["OWNER", "ADMIN"],
  "workspace.delete": ["OWNER"],
  "member.read": ["OWNER", "ADMIN", "MEMBER", "VIEWER"],
  "member.invite": ["OWNER", "ADMIN"],
  "member.updateRole": ["OWNER", "ADMIN"],
  "member.remove": ["OWNER", "ADMIN"],
  "member.leave": ["OWNER", "ADMIN", "MEMBER", "VIEWER"],
  "invitation.read": ["OWNER", "ADMIN"],
  "invitation.revoke": ["OWNER", "ADMIN"],
  "project.read": ["OWNER", "ADMIN", "MEMBER", "VIEWER"],
  "project.create": ["OWNER", "ADMIN"],
  "project.update": ["OWNER", "ADMIN"],
  "project.archive": ["OWNER", "ADMIN"],
  "task.read": ["OWNER", "ADMIN", "MEMBER", "VIEWER"],
  "task.create": ["OWNER", "ADMIN", "MEMBER"],
  "task.update": ["OWNER", "ADMIN", "MEMBER"],
  "task.delete": ["OWNER", "ADMIN", "MEMBER"],
  "comment.read": ["OWNER", "ADMIN", "MEMBER", "VIEWER"],
  "comment.create": ["OWNER", "ADMIN", "MEMBER"],
  "comment.editOwn": ["OWNER", "ADMIN", "MEMBER"],
  "comment.deleteOwn": ["OWNER", "ADMIN", "MEMBER"],
  "comment.deleteAny": ["OWNER", "ADMIN"],
  "label.read": ["OWNER", "ADMIN", "MEMBER", "VIEWER"],
  "label.manage": ["OWNER", "ADMIN", "MEMBER"],
  "activity.read": ["OWNER", "ADMIN", "MEMBER", "VIEWER"],
  "notification.own": ["OWNER", "ADMIN", "MEMBER", "VIEWER"],
  "live.subscribe": ["OWNER", "ADMIN", "MEMBER", "VIEWER"],
  "presence.share": ["OWNER", "ADMIN", "MEMBER", "VIEWER"],
  "webhook.read": ["OWNER", "ADMIN"],
  "webhook.manage": ["OWNER", "ADMIN"],
  "apiKey.read": ["OWNER", "ADMIN"],
  "apiKey.manage": ["OWNER", "ADMIN"],
};

describe("can", () => {
  it("covers every permission in the table", () => {
    expect(permissions).toHaveLength(33);
    expect([...permissions].sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(cases)("$role / $permission matches the PERMISSIONS table", ({ role, permission }) => {
    const allowed: readonly Role[] = PERMISSIONS[permission];
    expect(can(role, permission)).toBe(allowed.includes(role));
    expect(can(role, permission)).toBe(EXPECTED[permission].includes(role));
  });

  it("lets a VIEWER read but not create tasks", () => {
    expect(can("VIEWER", "task.read")).toBe(true);
    expect(can("VIEWER", "task.create")).toBe(false);
    expect(can("VIEWER", "comment.create")).toBe(false);
  });

  it("does not let a MEMBER invite", () => {
    expect(can("MEMBER", "task.create")).toBe(true);
    expect(can("MEMBER", "member.invite")).toBe(false);
    expect(can("MEMBER", "comment.deleteAny")).toBe(false);
  });

  it("does not let an ADMIN delete the workspace", () => {
    expect(can("ADMIN", "member.invite")).toBe(true);
    expect(can("ADMIN", "workspace.delete")).toBe(false);
  });

  it("lets an OWNER do everything", () => {
    expect(permissions.filter((p) => !can("OWNER", p))).toEqual([]);
  });

  it("gives VIEWER exactly the read permissions, their inbox, live updates and leave", () => {
    expect(permissions.filter((p) => can("VIEWER", p)).sort()).toEqual(
      [
        "activity.read",
        "comment.read",
        "label.read",
        "member.leave",
        "member.read",
        "notification.own",
        "live.subscribe",
        "presence.share",
        "project.read",
        "task.read",
        "workspace.read",
      ].sort(),
    );
  });

  it("never lets a weaker role do what a stronger one cannot", () => {
    for (const permission of permissions) {
      for (let i = 1; i < ROLES.length; i++) {
        if (can(ROLES[i]!, permission)) expect(can(ROLES[i - 1]!, permission)).toBe(true);
      }
    }
  });
});

describe("outranksOrEquals", () => {
  it("is true for the same role", () => {
    for (const role of ROLES) expect(outranksOrEquals(role, role)).toBe(true);
  });

  it("is true for a stronger actor and false for a weaker one", () => {
    expect(outranksOrEquals("OWNER", "ADMIN")).toBe(true);
    expect(outranksOrEquals("OWNER", "VIEWER")).toBe(true);
    expect(outranksOrEquals("ADMIN", "MEMBER")).toBe(true);
    expect(outranksOrEquals("MEMBER", "VIEWER")).toBe(true);
    expect(outranksOrEquals("ADMIN", "OWNER")).toBe(false);
    expect(outranksOrEquals("MEMBER", "ADMIN")).toBe(false);
    expect(outranksOrEquals("VIEWER", "MEMBER")).toBe(false);
  });

  it("follows the ROLES order", () => {
    expect(ROLES).toEqual(["OWNER", "ADMIN", "MEMBER", "VIEWER"]);
    for (const [i, actor] of ROLES.entries()) {
      for (const [j, target] of ROLES.entries()) expect(outranksOrEquals(actor, target)).toBe(i <= j);
    }
  });
});

describe("API-key scopes", () => {
  it("are cumulative", () => {
    expect(scopesUpTo("read")).toEqual(["read"]);
    expect(scopesUpTo("write")).toEqual(["read", "write"]);
    expect(scopesUpTo("admin")).toEqual(["read", "write", "admin"]);
  });

  it("act with the highest scope's role, ignoring unknown strings", () => {
    expect(highestScope(["read", "write"])).toBe("write");
    expect(highestScope(["bogus"])).toBeNull();
    expect(keyRole(["read"], "OWNER")).toBe("VIEWER");
    expect(keyRole(["read", "write"], "OWNER")).toBe("MEMBER");
    expect(keyRole(["read", "write", "admin"], "OWNER")).toBe("ADMIN");
    expect(keyRole([], "OWNER")).toBeNull();
  });

  it("never exceed the creator's current role", () => {
    expect(keyRole(["read", "write", "admin"], "MEMBER")).toBe("MEMBER");
    expect(keyRole(["read", "write", "admin"], "VIEWER")).toBe("VIEWER");
    expect(keyRole(["read", "write"], "VIEWER")).toBe("VIEWER");
    for (const a of ROLES)
      for (const b of ROLES) expect(lowerRole(a, b)).toBe(ROLES.indexOf(a) > ROLES.indexOf(b) ? a : b);
  });

  it("never reach what only a person does", () => {
    expect([...PERSON_ONLY].sort()).toEqual([
      "apiKey.manage",
      "apiKey.read",
      "live.subscribe",
      "member.leave",
      "notification.own",
      "presence.share",
    ]);
  });
});
