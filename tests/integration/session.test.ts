import { describe, expect, it } from "vitest";
import "../setup/file-db";
import { testDb } from "../setup/file-db";
import { makeUser, uid } from "../helpers/factories";
import { sessionUserId } from "@/server/auth/session";

const APP = "http://localhost:3000";

describe("sessionUserId (API requests)", () => {
  it("finds the user of a live session, and nobody for an expired, unknown or implausible token", async () => {
    const user = await makeUser("session");
    const live = `live-${uid()}${uid()}${uid()}`;
    const expired = `expired-${uid()}${uid()}${uid()}`;
    await testDb().session.createMany({
      data: [
        { sessionToken: live, userId: user.id, expires: new Date(Date.now() + 60_000) },
        { sessionToken: expired, userId: user.id, expires: new Date(Date.now() - 1_000) },
      ],
    });
    expect(await sessionUserId(testDb(), `authjs.session-token=${live}`, APP)).toBe(user.id);
    expect(await sessionUserId(testDb(), `authjs.session-token=${expired}`, APP)).toBeNull();
    expect(await sessionUserId(testDb(), `authjs.session-token=unknown-${uid()}${uid()}`, APP)).toBeNull();
    expect(await sessionUserId(testDb(), "authjs.session-token=x", APP)).toBeNull();
    expect(await sessionUserId(testDb(), null, APP)).toBeNull();
    // On https the cookie is __Secure- prefixed; the plain name is not read there.
    expect(await sessionUserId(testDb(), `authjs.session-token=${live}`, "https://lanes.example.com")).toBeNull();
    expect(await sessionUserId(testDb(), `__Secure-authjs.session-token=${live}`, "https://lanes.example.com")).toBe(
      user.id,
    );
  });
});
