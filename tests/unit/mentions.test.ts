import { describe, expect, it } from "vitest";
import { extractMentions } from "@/shared/mentions";

describe("extractMentions", () => {
  it("finds a single mention", () => {
    expect(extractMentions("@alice")).toEqual(["alice"]);
    expect(extractMentions("Thanks @alice!")).toEqual(["alice"]);
  });

  it("finds several mentions", () => {
    expect(extractMentions("@alice and @bob, can you look at this? cc @carol")).toEqual(["alice", "bob", "carol"]);
    expect(extractMentions("line one @alice\nline two @bob")).toEqual(["alice", "bob"]);
  });

  it("returns each handle once, in order of first appearance", () => {
    expect(extractMentions("@bob @alice @bob @carol @alice")).toEqual(["bob", "alice", "carol"]);
  });

  it("returns nothing for text without mentions", () => {
    expect(extractMentions("")).toEqual([]);
    expect(extractMentions("no mentions here")).toEqual([]);
    expect(extractMentions("a lone @ sign")).toEqual([]);
  });

  it("ignores email addresses", () => {
    expect(extractMentions("mail a@b.com")).toEqual([]);
    expect(extractMentions("write to x.y@z or x.y@zed.io")).toEqual([]);
    expect(extractMentions("alice@example.com and bob_smith@example.com")).toEqual([]);
    expect(extractMentions("alice@example.com, ping @carol")).toEqual(["carol"]);
  });

  it("ignores mentions inside inline code", () => {
    expect(extractMentions("run `notify @alice` then tell @bob")).toEqual(["bob"]);
    expect(extractMentions("`@alice`")).toEqual([]);
  });

  it("ignores mentions inside double-backtick inline code", () => {
    // CommonMark: ``@alice`` is a code span (used when the code itself holds a backtick).
    expect(extractMentions("``@alice``")).toEqual([]);
    expect(extractMentions("run ``echo `@alice` `` then tell @bob")).toEqual(["bob"]);
  });

  it("ignores mentions inside ``` fenced blocks", () => {
    expect(extractMentions("before @alice\n```\nconst x = '@bob';\n```\nafter @carol")).toEqual(["alice", "carol"]);
    expect(extractMentions("```ts\n// @decorator\n```")).toEqual([]);
  });

  it("ignores mentions inside ~~~ fenced blocks", () => {
    expect(extractMentions("~~~\n@bob\n~~~\n@dan")).toEqual(["dan"]);
  });

  it("treats an unterminated fence as code to the end of the text", () => {
    expect(extractMentions("@carol\n```\n@bob\nstill code @dave")).toEqual(["carol"]);
    expect(extractMentions("@carol\n~~~\n@bob")).toEqual(["carol"]);
  });

  it("allows punctuation right after the handle", () => {
    expect(extractMentions("@bob,")).toEqual(["bob"]);
    expect(extractMentions("ask @bob.")).toEqual(["bob"]);
    expect(extractMentions("(@bob)")).toEqual(["bob"]);
    expect(extractMentions("@bob: @carol; @dave? @erin!")).toEqual(["bob", "carol", "dave", "erin"]);
  });

  it("needs 2 to 30 characters", () => {
    expect(extractMentions("@a")).toEqual([]);
    expect(extractMentions("@ab")).toEqual(["ab"]);
    const thirty = "a".repeat(30);
    expect(extractMentions(`@${thirty}`)).toEqual([thirty]);
    expect(extractMentions(`@${"a".repeat(31)}`)).toEqual([]);
  });

  it("does not match uppercase handles", () => {
    expect(extractMentions("@Bob")).toEqual([]);
    expect(extractMentions("@BOB")).toEqual([]);
    expect(extractMentions("@bobSmith")).toEqual([]);
  });

  it("matches handles with digits and hyphens", () => {
    expect(extractMentions("@mary-jane and @r2-d2")).toEqual(["mary-jane", "r2-d2"]);
    expect(extractMentions("@42")).toEqual(["42"]);
  });

  it("does not match a handle starting with a hyphen or glued to a word", () => {
    expect(extractMentions("@-bob")).toEqual([]);
    expect(extractMentions("foo_@bob")).toEqual([]);
    expect(extractMentions("@bob_smith")).toEqual([]);
  });
});
