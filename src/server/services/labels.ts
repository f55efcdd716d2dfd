/** Workspace labels (name, color). Assigning them is part of task updates. */
import { AppError } from "@/server/errors";
import {
  createLabel as createLabelRow,
  deleteLabel as deleteLabelRow,
  findLabel,
  listLabels as listLabelRows,
  updateLabel as updateLabelRow,
} from "@/server/db/labels";
import type { LabelDto } from "@/shared/schemas/label";
import type { WorkspaceContext } from "./context";
import { audit } from "./audit";
import { isUniqueViolation } from "@/server/db/errors";

type LabelRow = { id: string; name: string; color: string; taskCount: number };

const toDto = ({ id, name, color, taskCount }: LabelRow): LabelDto => ({ id, name, color, taskCount });

function nameTaken(error: unknown, name: string | undefined): AppError | null {
  if (isUniqueViolation(error)) {
    return new AppError("CONFLICT", "That label exists", {
      fieldErrors: { name: [`A label named “${name}” already exists`] },
    });
  }
  return null;
}

export async function listLabels(ctx: WorkspaceContext): Promise<LabelDto[]> {
  return (await listLabelRows(ctx.db, ctx.workspace.id)).map(toDto);
}

export async function createLabel(ctx: WorkspaceContext, input: { name: string; color: string }): Promise<LabelDto> {
  try {
    return await ctx.db.$transaction(async (tx) => {
      const label = await createLabelRow(tx, { workspaceId: ctx.workspace.id, name: input.name, color: input.color });
      await audit(tx, ctx, {
        action: "label.created",
        entityId: label.id,
        after: { name: label.name, color: label.color },
      });
      return toDto(label);
    });
  } catch (error) {
    throw nameTaken(error, input.name) ?? error;
  }
}

export async function updateLabel(
  ctx: WorkspaceContext,
  input: { labelId: string; name?: string; color?: string },
): Promise<LabelDto> {
  try {
    return await ctx.db.$transaction(async (tx) => {
      const current = await findLabel(tx, ctx.workspace.id, input.labelId);
      if (!current) throw AppError.notFound("Label");
      const label = await updateLabelRow(tx, ctx.workspace.id, input.labelId, { name: input.name, color: input.color });
      await audit(tx, ctx, {
        action: "label.updated",
        entityId: label.id,
        before: { name: current.name, color: current.color },
        after: { name: label.name, color: label.color },
      });
      return toDto(label);
    });
  } catch (error) {
    throw nameTaken(error, input.name) ?? error;
  }
}

export async function deleteLabel(ctx: WorkspaceContext, input: { labelId: string }): Promise<void> {
  await ctx.db.$transaction(async (tx) => {
    const current = await findLabel(tx, ctx.workspace.id, input.labelId);
    if (!current) throw AppError.notFound("Label");
    await deleteLabelRow(tx, ctx.workspace.id, input.labelId);
    await audit(tx, ctx, {
      action: "label.deleted",
      entityId: current.id,
      before: { name: current.name, color: current.color },
    });
  });
}
