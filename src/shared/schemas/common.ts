/**
 * Building blocks for every procedure's input and output. Inputs are strict
 * objects: an unknown field is a validation error, not silently dropped.
 */
import { z } from "zod";
import { ROLES } from "../roles";

export const idSchema = z.string().min(1, "Required").max(64, "Too long");

export const roleSchema = z.enum(ROLES);

const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
/** Slugs a workspace cannot take because the app uses them in URLs. */
export const RESERVED_SLUGS = new Set([
  "api",
  "app",
  "admin",
  "auth",
  "dev",
  "invite",
  "new",
  "signin",
  "signout",
  "settings",
  "w",
  "www",
  "static",
  "_next",
]);

/** A new workspace's slug: 2–48 lowercase letters, digits and single hyphens. */
export const newSlugSchema = z
  .string()
  .trim()
  .toLowerCase()
  .min(2, "Use at least 2 characters")
  .max(48, "Use at most 48 characters")
  .regex(SLUG_PATTERN, "Use lowercase letters, digits and single hyphens, e.g. acme-design")
  .refine((s) => !RESERVED_SLUGS.has(s), "This address is reserved");

/** A slug naming an existing workspace (looser: no reserved-word check). */
export const workspaceSlugSchema = z
  .string()
  .min(1, "Required")
  .max(48, "Too long")
  .regex(SLUG_PATTERN, "Not a workspace address");

export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(254, "Too long")
  .pipe(z.email("Enter a valid email address"));

export const nameSchema = z.string().trim().min(1, "Required").max(80, "Use at most 80 characters");

/** Every workspace-scoped input starts with the workspace it is about. */
export const inWorkspace = <Shape extends z.ZodRawShape>(shape: Shape) =>
  z.strictObject({ workspaceSlug: workspaceSlugSchema, ...shape });

/** Keyset pagination: an opaque cursor from the previous page, and a page size. */
export const pageInput = {
  cursor: z.string().max(512).nullish(),
  limit: z.number().int().min(1).max(100).default(50),
  /** Sent by tRPC's infinite queries; pages only go forward, so it is accepted and ignored. */
  direction: z.enum(["forward", "backward"]).optional(),
};

export const pageOf = <Item extends z.ZodType>(item: Item) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });

export const userSummarySchema = z.object({
  id: z.string(),
  name: z.string().nullable(),
  email: z.string(),
  image: z.string().nullable(),
  handle: z.string().nullable(),
});
export type UserSummary = z.infer<typeof userSummarySchema>;

export const okSchema = z.object({ ok: z.literal(true) });
