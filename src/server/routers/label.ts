import { z } from "zod";
import { router } from "@/server/trpc/init";
import { rest } from "@/server/rest/meta";
import { workspaceProcedure } from "@/server/trpc/procedures";
import { fastOutput } from "@/server/trpc/output";
import { okSchema } from "@/shared/schemas/common";
import {
  createLabelInput,
  deleteLabelInput,
  labelSchema,
  listLabelsInput,
  updateLabelInput,
} from "@/shared/schemas/label";
import { createLabel, deleteLabel, listLabels, updateLabel } from "@/server/services/labels";

export const labelRouter = router({
  /** The workspace's labels with usage counts. Members. */
  list: workspaceProcedure("label.read")
    .meta(rest("GET", "/labels", "Labels", "List labels"))
    .input(listLabelsInput)
    .output(fastOutput(z.array(labelSchema)))
    .query(({ ctx }) => listLabels(ctx.scope)),
  /** Create a label. Owners, admins, members. */
  create: workspaceProcedure("label.manage")
    .meta(rest("POST", "/labels", "Labels", "Create a label"))
    .input(createLabelInput)
    .output(fastOutput(labelSchema))
    .mutation(({ ctx, input }) => createLabel(ctx.scope, input)),
  /** Rename or recolor. Owners, admins, members. */
  update: workspaceProcedure("label.manage")
    .meta(rest("PATCH", "/labels/{labelId}", "Labels", "Change a label"))
    .input(updateLabelInput)
    .output(fastOutput(labelSchema))
    .mutation(({ ctx, input }) => updateLabel(ctx.scope, input)),
  /** Delete (removes it from tasks). Owners, admins, members. */
  delete: workspaceProcedure("label.manage")
    .meta(rest("DELETE", "/labels/{labelId}", "Labels", "Delete a label"))
    .input(deleteLabelInput)
    .output(fastOutput(okSchema))
    .mutation(async ({ ctx, input }) => (await deleteLabel(ctx.scope, input), { ok: true as const })),
});
