type PathSegment = PropertyKey | { key: PropertyKey };
export type SchemaIssue = { message: string; path?: ReadonlyArray<PathSegment> | undefined };

/**
 * Zod / Standard Schema issues → { "field.path": ["message"] }: the `fieldErrors`
 * shape the API returns and the forms show. "" holds form-level messages.
 */
export function issuesByField(issues: ReadonlyArray<SchemaIssue>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of issues) {
    const key = (issue.path ?? []).map((p) => (typeof p === "object" ? String(p.key) : String(p))).join(".");
    (out[key] ??= []).push(issue.message);
  }
  return out;
}
