import { z } from "zod";
import { router } from "@/server/trpc/init";
import { workspaceProcedure } from "@/server/trpc/procedures";
import { fastOutput } from "@/server/trpc/output";
import { rest } from "@/server/rest/meta";
import {
  createdWebhookSchema,
  createWebhookInput,
  deliveryPageSchema,
  listDeliveriesInput,
  replayDeliveryInput,
  updateWebhookInput,
  webhookIdInput,
  webhookSchema,
} from "@/shared/schemas/webhook";
import { inWorkspace } from "@/shared/schemas/common";
import {
  createWebhook,
  deleteWebhook,
  listDeliveries,
  listWebhooks,
  replayDelivery,
  rotateWebhookSecret,
  updateWebhook,
} from "@/server/services/webhooks";

export const webhookRouter = router({
  /** The workspace's webhooks. Owners and admins. */
  list: workspaceProcedure("webhook.read")
    .meta(rest("GET", "/webhooks", "Webhooks", "List webhooks"))
    .input(inWorkspace({}))
    .output(fastOutput(z.array(webhookSchema)))
    .query(({ ctx }) => listWebhooks(ctx.scope)),
  /** Register a URL for event types; the answer holds the signing secret, once. Owners and admins. */
  create: workspaceProcedure("webhook.manage")
    .meta(rest("POST", "/webhooks", "Webhooks", "Register a webhook"))
    .input(createWebhookInput)
    .output(fastOutput(createdWebhookSchema))
    .mutation(({ ctx, input }) => createWebhook(ctx.scope, input)),
  /** Change the URL, description or events; turn it off or on. Owners and admins. */
  update: workspaceProcedure("webhook.manage")
    .meta(rest("PATCH", "/webhooks/{webhookId}", "Webhooks", "Update a webhook"))
    .input(updateWebhookInput)
    .output(fastOutput(webhookSchema))
    .mutation(({ ctx, input }) => updateWebhook(ctx.scope, input)),
  /** A new signing secret, shown once; the old one stops at once. Owners and admins. */
  rotateSecret: workspaceProcedure("webhook.manage")
    .meta(rest("POST", "/webhooks/{webhookId}/rotate-secret", "Webhooks", "Rotate a webhook's secret"))
    .input(webhookIdInput)
    .output(fastOutput(createdWebhookSchema))
    .mutation(({ ctx, input }) => rotateWebhookSecret(ctx.scope, input)),
  /** Remove a webhook and its delivery log. Owners and admins. */
  delete: workspaceProcedure("webhook.manage")
    .meta(rest("DELETE", "/webhooks/{webhookId}", "Webhooks", "Delete a webhook"))
    .input(webhookIdInput)
    .output(fastOutput(z.object({ id: z.string() })))
    .mutation(({ ctx, input }) => deleteWebhook(ctx.scope, input)),
  /** A webhook's deliveries, newest first, with every attempt. Owners and admins. */
  deliveries: workspaceProcedure("webhook.read")
    .meta(rest("GET", "/webhooks/{webhookId}/deliveries", "Webhooks", "List deliveries"))
    .input(listDeliveriesInput)
    .output(fastOutput(deliveryPageSchema))
    .query(({ ctx, input }) => listDeliveries(ctx.scope, input)),
  /** Send a delivery again now (same id and body). Owners and admins. */
  replay: workspaceProcedure("webhook.manage")
    .meta(rest("POST", "/webhook-deliveries/{deliveryId}/replay", "Webhooks", "Replay a delivery"))
    .input(replayDeliveryInput)
    .output(fastOutput(z.object({ queued: z.literal(true) })))
    .mutation(({ ctx, input }) => replayDelivery(ctx.scope, input)),
});
