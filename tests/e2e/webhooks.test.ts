/**
 * Webhooks as a new user meets them (the "done when"): register one to a receiver on this
 * machine in Settings → Webhooks, move a task, verify the signed delivery with the documented recipe
 * (the `standardwebhooks` package and the secret shown once); stop the receiver, move again, start
 * it again and watch the queue's retry succeed; replay the delivery from the log.
 */
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, test } from "vitest";
import { Webhook } from "standardwebhooks";
import { domainEventSchema } from "@/shared/schemas/events";
import { seedWorkspace, setUpBrowser } from "./helpers";

const e2e = setUpBrowser();

type Received = { headers: IncomingHttpHeaders; body: string };

/** A receiver that records what it gets; it can be stopped and started again on the same port. */
function receiver() {
  const received: Received[] = [];
  let server: Server | null = null;
  let port = 0;
  const start = () =>
    new Promise<void>((resolve) => {
      server = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on("data", (c: Buffer) => chunks.push(c));
        req.on("end", () => {
          received.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
          res.writeHead(204).end();
        });
      });
      server.listen(port, "127.0.0.1", () => {
        port = (server!.address() as AddressInfo).port;
        resolve();
      });
    });
  const stop = () => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  return { received, start, stop, url: () => `http://127.0.0.1:${port}/lanes` };
}

const hook = receiver();
afterEach(() => hook.stop());

function verified(secret: string, message: Received) {
  return domainEventSchema.parse(
    new Webhook(secret).verify(message.body, {
      "webhook-id": String(message.headers["webhook-id"]),
      "webhook-timestamp": String(message.headers["webhook-timestamp"]),
      "webhook-signature": String(message.headers["webhook-signature"]),
    }),
  );
}

describe("webhooks", () => {
  test("register, verify a signed delivery, survive a receiver outage, replay from the log", async () => {
    const owner = await e2e.signedIn("wendy");
    const seeded = await seedWorkspace(owner, { titles: ["Wire the webhook"] });
    const workspaceSlug = seeded.workspace.slug;
    const task = await owner.api.task.byRef.query({ workspaceSlug, ref: seeded.refs[0]! });
    await hook.start();

    const page = owner.page;
    await page.goto(`${e2e.baseUrl}/w/${workspaceSlug}/settings/webhooks`);
    await page.getByLabel("Payload URL").fill(hook.url());
    await page.getByRole("button", { name: "Add webhook" }).click();
    const secret = await page.getByRole("textbox", { name: "Signing secret" }).inputValue();
    expect(secret).toMatch(/^whsec_/);
    await page.getByTestId("webhook").filter({ hasText: hook.url() }).waitFor();

    // Its own creation arrives first (a ping: the receiver can check the secret at once).
    await expect.poll(() => hook.received.length, { timeout: 20_000 }).toBe(1);
    expect(verified(secret, hook.received[0]!)).toMatchObject({
      type: "webhook.created",
      data: { after: { host: new URL(hook.url()).host, events: ["*"] } },
    });

    // A move, delivered and verified with the recipe the page shows.
    await owner.api.task.move.mutate({ workspaceSlug, taskId: task.id, status: "IN_PROGRESS" });
    await expect.poll(() => hook.received.length, { timeout: 20_000 }).toBe(2);
    const first = verified(secret, hook.received[1]!);
    expect(first).toMatchObject({ type: "task.updated", data: { task: { ref: seeded.refs[0] } } });

    // The receiver goes down; the next move fails and is retried.
    await hook.stop();
    await owner.api.task.move.mutate({ workspaceSlug, taskId: task.id, status: "IN_REVIEW" });
    await page.getByRole("button", { name: "Deliveries" }).click();
    const newest = page.getByTestId("delivery").first();
    await newest
      .getByTestId("delivery-attempt")
      .filter({ hasText: "ECONNREFUSED" })
      .first()
      .waitFor({ timeout: 20_000 });
    expect(await newest.getAttribute("data-status")).toBe("PENDING");

    // Back up: the queue's next attempt gets through, and the log shows both attempts.
    await hook.start();
    await expect.poll(() => hook.received.length, { timeout: 60_000 }).toBe(3);
    expect(verified(secret, hook.received[2]!).data.after).toMatchObject({ status: "IN_REVIEW" });
    await expect.poll(() => newest.getAttribute("data-status"), { timeout: 15_000 }).toBe("SUCCEEDED");
    expect(await newest.getByTestId("delivery-attempt").count()).toBeGreaterThanOrEqual(2);

    // Replayed from the log: the same id and body again.
    await newest.getByRole("button", { name: "Replay" }).click();
    await expect.poll(() => hook.received.length, { timeout: 20_000 }).toBe(4);
    expect(hook.received[3]!.headers["webhook-id"]).toBe(hook.received[2]!.headers["webhook-id"]);
    expect(verified(secret, hook.received[3]!)).toEqual(verified(secret, hook.received[2]!));
    await newest.getByTestId("delivery-attempt").filter({ hasText: "Replay" }).waitFor({ timeout: 15_000 });
  });
});
