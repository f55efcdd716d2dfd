import { z } from "zod";
import { router } from "@/server/trpc/init";
import { rest } from "@/server/rest/meta";
import { workspaceProcedure } from "@/server/trpc/procedures";
import { fastOutput } from "@/server/trpc/output";
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
    .meta(rest("GET", "/projects", "Projects", "List projects with their task counts"))
    .input(listProjectsInput)
    .output(fastOutput(z.array(projectSchema)))
    .query(({ ctx, input }) => listProjects(ctx.scope, input)),
  /** One project by its key (e.g. WEB). Members. */
  byKey: workspaceProcedure("project.read")
    .meta(rest("GET", "/projects/by-key/{key}", "Projects", "Get a project by its key"))
    .input(projectByKeyInput)
    .output(fastOutput(projectSchema))
    .query(({ ctx, input }) => getProjectByKey(ctx.scope, input)),
  /** Create with a unique key. Owners and admins. */
  create: workspaceProcedure("project.create")
    .meta(rest("POST", "/projects", "Projects", "Create a project"))
    .input(createProjectInput)
    .output(fastOutput(projectSchema))
    .mutation(({ ctx, input }) => createProject(ctx.scope, input)),
  /** Rename or change the description. Owners and admins. */
  update: workspaceProcedure("project.update")
    .meta(rest("PATCH", "/projects/{projectId}", "Projects", "Rename a project or change its description"))
    .input(updateProjectInput)
    .output(fastOutput(projectSchema))
    .mutation(({ ctx, input }) => renameProject(ctx.scope, input)),
  /** Archive or unarchive. Owners and admins. */
  setArchived: workspaceProcedure("project.archive")
    .meta(rest("POST", "/projects/{projectId}/archive", "Projects", "Archive or unarchive a project"))
    .input(archiveProjectInput)
    .output(fastOutput(projectSchema))
    .mutation(({ ctx, input }) => archiveProject(ctx.scope, input)),
});
