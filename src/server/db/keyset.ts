/** Keyset pagination on (createdAt, id), the order of feeds, comments and notifications. */
export type TimeKey = { createdAt: Date; id: string };

export function afterTimeKey(key: TimeKey, direction: "asc" | "desc") {
  const beyond = direction === "asc" ? ("gt" as const) : ("lt" as const);
  return {
    OR: [{ createdAt: { [beyond]: key.createdAt } }, { createdAt: key.createdAt, id: { [beyond]: key.id } }],
  };
}
