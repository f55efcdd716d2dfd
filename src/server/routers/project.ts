import { z } from "zod";
import { router } from "@/server/trpc/init";
import { workspaceProcedure } from "@/server/trpc/procedures";
import {
  archiveProjectInput,
  createProjectInput,
  listProjectsInput,
  projectByKeyInput,
  projectSchema,
  updateProjectInput,
} from "@/shared/schemas/project";
import {
  archiveProject,
  createProject,
  getProjectByKey,
  listProjects,
  renameProject,
} from "@/server/services/projects";

export const projectRouter = router({
  /** Projects with open and done task counts. Members. */
  list: workspaceProcedure("project.read")
    .input(listProjectsInput)
    .output(z.array(projectSchema))
    .query(({ ctx, input }) => listProjects(ctx.scope, input)),
  /** One project by its key (e.g. WEB). Members. */
  byKey: workspaceProcedure("project.read")
    .input(projectByKeyInput)
    .output(projectSchema)
    .query(({ ctx, input }) => getProjectByKey(ctx.scope, input)),
  /** Create with a unique key. Owners and admins. */
  create: workspaceProcedure("project.create")
    .input(createProjectInput)
    .output(projectSchema)
    .mutation(({ ctx, input }) => createProject(ctx.scope, input)),
  /** Rename or change the description. Owners and admins. */
  update: workspaceProcedure("project.update")
    .input(updateProjectInput)
    .output(projectSchema)
    .mutation(({ ctx, input }) => renameProject(ctx.scope, input)),
  /** Archive or unarchive. Owners and admins. */
  setArchived: workspaceProcedure("project.archive")
    .input(archiveProjectInput)
    .output(projectSchema)
    .mutation(({ ctx, input }) => archiveProject(ctx.scope, input)),
});
