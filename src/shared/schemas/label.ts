import { z } from "zod";
import { idSchema, inWorkspace } from "./common";

export const labelColorSchema = z
  .string()
  .regex(/^#[0-9a-fA-F]{6}$/, "Use a hex color like #3b82f6")
  .transform((c) => c.toLowerCase());
export const labelNameSchema = z.string().trim().min(1, "Required").max(40, "Use at most 40 characters");

export const labelSchema = z.object({
  id: z.string(),
  name: z.string(),
  color: z.string(),
  taskCount: z.number().int(),
});
export type LabelDto = z.infer<typeof labelSchema>;

export const listLabelsInput = inWorkspace({});
export const createLabelInput = inWorkspace({ name: labelNameSchema, color: labelColorSchema });
export const updateLabelInput = inWorkspace({
  labelId: idSchema,
  name: labelNameSchema.optional(),
  color: labelColorSchema.optional(),
});
export const deleteLabelInput = inWorkspace({ labelId: idSchema });
