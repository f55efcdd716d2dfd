import { z } from "zod";
import { idSchema, inWorkspace, nameSchema } from "./common";

export const projectKeySchema = z
  .string()
  .trim()
  .toUpperCase()
  .min(2, "Use 2–10 characters")
  .max(10, "Use 2–10 characters")
  .regex(/^[A-Z][A-Z0-9]*$/, "Letters and digits, starting with a letter, e.g. WEB");

export const projectSchema = z.object({
  id: z.string(),
  key: z.string(),
  name: z.string(),
  description: z.string(),
  archivedAt: z.date().nullable(),
  createdAt: z.date(),
  openCount: z.number().int(),
  doneCount: z.number().int(),
});
export type ProjectDto = z.infer<typeof projectSchema>;

const descriptionSchema = z.string().trim().max(2000, "Use at most 2,000 characters");

export const listProjectsInput = inWorkspace({ includeArchived: z.boolean().default(false) });
export const createProjectInput = inWorkspace({
  key: projectKeySchema,
  name: nameSchema,
  description: descriptionSchema.default(""),
});
export const updateProjectInput = inWorkspace({
  projectId: idSchema,
  name: nameSchema.optional(),
  description: descriptionSchema.optional(),
});
export const archiveProjectInput = inWorkspace({ projectId: idSchema, archived: z.boolean() });
export const projectByKeyInput = inWorkspace({ key: projectKeySchema });
