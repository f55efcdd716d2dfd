/**
 * The API reference at /docs/api in a real browser, under the production CSP: it renders the
 * server's OpenAPI document, and the curl examples it shows work as written once the reader puts
 * in their key and the path's values (run here with the machine's curl against the test server).
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import type { Page } from "playwright-core";
import { describe, expect, test } from "vitest";
import { seedWorkspace, setUpBrowser } from "./helpers";

const e2e = setUpBrowser();
const run = promisify(execFile);

/** The curl example shown for an operation (Scalar's request panel), found by its method and path. */
async function curlExample(page: Page, method: string, path: string): Promise<string> {
  await page.goto(`${e2e.baseUrl}/docs/api#tag/tasks/${method}/workspaces/{workspaceSlug}${path}`);
  const example = page
    .locator("pre")
    .filter({ hasText: /^curl / })
    .filter({ hasText: `/workspaces/{workspaceSlug}${path}'` });
  await example.first().waitFor();
  const text = await example.first().innerText();
  // curl sends GET unless told otherwise.
  if (method === "GET") expect(text).not.toContain("--request");
  else expect(text).toContain(`--request ${method}`);
  return text;
}

async function runCurl(command: string): Promise<{ status: number; body: unknown }> {
  // `-w` appends the status on its own line after the body.
  const { stdout } = await run("bash", ["-c", `${command.trim()} --silent --write-out '\\n%{http_code}'`]);
  const lines = stdout.trimEnd().split("\n");
  const status = Number(lines.pop());
  return { status, body: JSON.parse(lines.join("\n")) as unknown };
}

describe("API reference", () => {
  test("renders the operations from the server's OpenAPI document, and its examples run as written", async () => {
    const owner = await e2e.signedIn("devon");
    const seeded = await seedWorkspace(owner, { titles: ["Call me over REST"] });
    const { secret } = await owner.api.apiKey.create.mutate({
      workspaceSlug: seeded.workspace.slug,
      name: "docs example",
      scope: "read",
    });
    const fill = (command: string) =>
      command
        .replaceAll("YOUR_SECRET_TOKEN", secret)
        .replaceAll("{workspaceSlug}", seeded.workspace.slug)
        .replaceAll("{projectId}", seeded.project.id)
        .replaceAll("{ref}", seeded.refs[0]!);

    const page = owner.page;
    await page.goto(`${e2e.baseUrl}/docs/api`);
    // Scalar loads its bundle, then the document: allow the page its action timeout, not a 1 s poll.
    await page.getByRole("heading", { name: "Lanes API" }).waitFor();
    for (const tag of ["Projects", "Tasks", "Comments", "Labels", "Activity"])
      await page.getByText(tag, { exact: true }).first().waitFor();

    const list = await curlExample(page, "POST", "/tasks/query");
    expect(list).toContain(`${e2e.baseUrl}/api/v1/workspaces/{workspaceSlug}/tasks/query`);
    const listed = await runCurl(fill(list));
    expect(listed.status).toBe(200);
    expect((listed.body as { items: Array<{ title: string }> }).items.map((t) => t.title)).toEqual([
      "Call me over REST",
    ]);

    const byRef = await runCurl(fill(await curlExample(page, "GET", "/tasks/by-ref/{ref}")));
    expect(byRef).toMatchObject({ status: 200, body: { ref: seeded.refs[0], title: "Call me over REST" } });

    const counts = await runCurl(fill(await curlExample(page, "GET", "/projects/{projectId}/task-counts")));
    expect(counts).toMatchObject({ status: 200, body: { TODO: 1 } });

    // Without a key the same call is refused in the documented error shape.
    const anonymous = await runCurl(fill(list).replace(/--header 'Authorization: [^']*' \\\n\s*/, ""));
    expect(anonymous).toMatchObject({ status: 401, body: { code: "UNAUTHORIZED" } });
  });
});
