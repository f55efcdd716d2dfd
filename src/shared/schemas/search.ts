import { z } from "zod";
import { inWorkspace } from "./common";
import { taskPrioritySchema, taskStatusSchema } from "./task";

/** Anything a person can type is accepted; only the length is bounded. */
export const searchInput = inWorkspace({
  q: z.string().max(200, "Search for at most 200 characters"),
  limit: z.number().int().min(1).max(50).default(20),
});

export const searchHitSchema = z.object({
  id: z.string(),
  ref: z.string(),
  title: z.string(),
  status: taskStatusSchema,
  priority: taskPrioritySchema,
  projectKey: z.string(),
  /** Where the words were found. */
  matchedIn: z.enum(["ref", "task", "comment"]),
});
export type SearchHit = z.infer<typeof searchHitSchema>;
export const searchResultSchema = z.object({ hits: z.array(searchHitSchema) });
