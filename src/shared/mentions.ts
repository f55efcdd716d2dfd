/**
 * @mentions in Markdown: `@handle` where a handle is 2–30 lowercase letters,
 * digits and hyphens. Mentions inside code (fenced blocks or `inline`) and in
 * email addresses do not count.
 */
export const MENTION_PATTERN = /(^|[^A-Za-z0-9_@.`])@([a-z0-9][a-z0-9-]{1,29})(?![A-Za-z0-9_-])/g;

function stripCode(markdown: string): string {
  return (
    markdown
      .replace(/```[\s\S]*?(```|$)/g, " ")
      .replace(/~~~[\s\S]*?(~~~|$)/g, " ")
      // A code span opens and closes with the same number of backticks (CommonMark).
      .replace(/(`+)[\s\S]*?\1/g, " ")
  );
}

/** Distinct handles mentioned in a Markdown text, in order of first appearance. */
export function extractMentions(markdown: string): string[] {
  const seen = new Set<string>();
  for (const match of stripCode(markdown).matchAll(MENTION_PATTERN)) seen.add(match[2]!);
  return [...seen];
}
