/**
 * A request path whose percent-encoding does not decode (`%E2%82` is half a UTF-8 character,
 * `%zz` no escape at all) with each such segment's `%` escaped, so it decodes to the literal
 * text that was sent. Valid paths and the query string are returned unchanged.
 */
export function repairPathEncoding(url: string): string {
  const queryAt = url.indexOf("?");
  const path = queryAt === -1 ? url : url.slice(0, queryAt);
  const rest = queryAt === -1 ? "" : url.slice(queryAt);
  const segments = path.split("/");
  let changed = false;
  const repaired = segments.map((segment) => {
    try {
      decodeURIComponent(segment);
      return segment;
    } catch {
      changed = true;
      return segment.replaceAll("%", "%25");
    }
  });
  return changed ? repaired.join("/") + rest : url;
}
