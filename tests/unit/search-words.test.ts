import { describe, expect, it } from "vitest";
import { searchWords } from "@/server/services/search";
import { DOCUMENT_SEPARATORS } from "@/server/db/search";

describe("searchWords", () => {
  it("splits at every ASCII punctuation character, the ones documents are split at too", () => {
    const ascii = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).filter(
      (c) => !/[A-Za-z0-9 ]/.test(c),
    );
    expect([...DOCUMENT_SEPARATORS].sort()).toEqual(ascii.sort());
    for (const c of DOCUMENT_SEPARATORS)
      expect(searchWords(`alpha${c}beta`), JSON.stringify(c)).toEqual(["alpha", "beta"]);
  });

  it("reads markup as words", () => {
    expect(searchWords("<script>alert(1)</script>")).toEqual(["script", "alert", "1"]);
    expect(searchWords("a<b>c")).toEqual(["a", "b", "c"]);
    expect(searchWords("AT&amp;T")).toEqual(["at", "amp", "t"]);
  });

  it("splits on punctuation and lowercases", () => {
    expect(searchWords("Fix the `login`-page!!")).toEqual(["fix", "the", "login", "page"]);
    expect(searchWords("HELLO World")).toEqual(["hello", "world"]);
  });

  it("strips quotes and tsquery operators", () => {
    expect(searchWords(`"login" & !page | (auth:*) <-> 'x'`)).toEqual(["login", "page", "auth", "x"]);
    expect(searchWords("foo&bar|baz!qux")).toEqual(["foo", "bar", "baz", "qux"]);
  });

  it("keeps digits", () => {
    expect(searchWords("WEB-42 v2")).toEqual(["web", "42", "v2"]);
  });

  it("keeps unicode letters", () => {
    expect(searchWords("日本語 テスト")).toEqual(["日本語", "テスト"]);
    expect(searchWords("Café crème")).toEqual(["café", "crème"]);
    expect(searchWords("Ärger Öl")).toEqual(["ärger", "öl"]);
  });

  it("normalizes with NFKC", () => {
    // Full-width letters and digits become ASCII.
    expect(searchWords("ＡＢＣ１２３")).toEqual(["abc123"]);
    // A decomposed é (e + combining acute) becomes the single letter é.
    expect(searchWords("cafe\u0301")).toEqual(["café"]);
    // The "ﬁ" ligature becomes "fi".
    expect(searchWords("ﬁle")).toEqual(["file"]);
  });

  it("keeps combining marks inside words of scripts that need them", () => {
    // Devanagari vowel signs and the virama are combining marks (\p{M}), not letters;
    // NFKC does not fold them into the consonants, so splitting on them breaks the word.
    expect(searchWords("हिन्दी")).toEqual(["हिन्दी"]);
  });

  it("dedupes words", () => {
    expect(searchWords("bug Bug BUG fix bug")).toEqual(["bug", "fix"]);
  });

  it("caps the query at 8 words", () => {
    expect(searchWords("one two three four five six seven eight nine ten")).toEqual([
      "one",
      "two",
      "three",
      "four",
      "five",
      "six",
      "seven",
      "eight",
    ]);
  });

  it("counts the cap after deduping", () => {
    expect(searchWords("a a b b c d e f g h i")).toEqual(["a", "b", "c", "d", "e", "f", "g", "h"]);
  });

  it("caps each word at 64 characters", () => {
    const words = searchWords(`${"x".repeat(100)} short`);
    expect(words).toEqual(["x".repeat(64), "short"]);
  });

  it("dedupes words that are equal once truncated", () => {
    expect(searchWords(`${"y".repeat(70)} ${"y".repeat(80)}`)).toEqual(["y".repeat(64)]);
  });

  it("returns nothing for only punctuation or whitespace", () => {
    expect(searchWords("!!! ??? --- '\" & | <-> :*")).toEqual([]);
    expect(searchWords("   ")).toEqual([]);
    expect(searchWords("")).toEqual([]);
  });
});
