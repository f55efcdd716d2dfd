import { router } from "@/server/trpc/init";
import { workspaceProcedure } from "@/server/trpc/procedures";
import { fastOutput } from "@/server/trpc/output";
import {
  apiKeyListSchema,
  apiKeySchema,
  createApiKeyInput,
  createdApiKeySchema,
  listApiKeysInput,
  revokeApiKeyInput,
} from "@/shared/schemas/api-key";
import { createApiKey, listApiKeys, revokeApiKey } from "@/server/services/api-keys";

export const apiKeyRouter = router({
  /** The workspace's keys, newest first, revoked ones included. Owners and admins, in person. */
  list: workspaceProcedure("apiKey.read")
    .input(listApiKeysInput)
    .output(fastOutput(apiKeyListSchema))
    .query(({ ctx }) => listApiKeys(ctx.scope)),
  /** A new key; the answer holds its secret, shown this once. Owners and admins, in person. */
  create: workspaceProcedure("apiKey.manage")
    .input(createApiKeyInput)
    .output(fastOutput(createdApiKeySchema))
    .mutation(({ ctx, input }) => createApiKey(ctx.scope, input)),
  /** Turns a key off on the next request, on every server. Owners and admins, in person. */
  revoke: workspaceProcedure("apiKey.manage")
    .input(revokeApiKeyInput)
    .output(fastOutput(apiKeySchema))
    .mutation(({ ctx, input }) => revokeApiKey(ctx.scope, input)),
});
