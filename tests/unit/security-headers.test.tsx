import { describe, expect, it } from "vitest";
import { renderToStaticMarkup } from "react-dom/server";
import { pageContentSecurityPolicy } from "@/server/http/security-headers";
import { IMAGE_SOURCE_PATTERN, imageAllowed } from "@/shared/image-policy";
import { Markdown, MarkdownImagePolicy } from "@/features/markdown/markdown";

const directives = (policy: string): Record<string, string[]> =>
  Object.fromEntries(policy.split("; ").map((d) => [d.split(" ")[0] ?? "", d.split(" ").slice(1)]));

describe("pageContentSecurityPolicy", () => {
  const production = pageContentSecurityPolicy({
    nonce: "abc123",
    development: false,
    imageSources: [],
    https: true,
    formTargets: [],
  });

  it("runs only scripts with this request's nonce (and what they load), never eval or inline handlers", () => {
    const d = directives(production);
    expect(d["script-src"]).toEqual(["'self'", "'nonce-abc123'", "'strict-dynamic'"]);
    expect(production).not.toMatch(/unsafe-eval|script-src[^;]*unsafe-inline/);
  });

  it("forbids framing, plugins, foreign forms and base tags; upgrades on https", () => {
    const d = directives(production);
    expect(d["frame-ancestors"]).toEqual(["'none'"]);
    expect(d["object-src"]).toEqual(["'none'"]);
    expect(d["form-action"]).toEqual(["'self'"]);
    expect(d["base-uri"]).toEqual(["'self'"]);
    expect(d["upgrade-insecure-requests"]).toEqual([]);
    expect(
      pageContentSecurityPolicy({ nonce: "n", development: false, imageSources: [], https: false, formTargets: [] }),
    ).not.toMatch(/upgrade-insecure-requests/);
  });

  it("loads images only from this origin and the configured Markdown sources", () => {
    expect(directives(production)["img-src"]).toEqual(["'self'", "data:", "blob:"]);
    const withSources = pageContentSecurityPolicy({
      nonce: "n",
      development: false,
      imageSources: ["https://images.example.com"],
      https: true,
      formTargets: [],
    });
    expect(directives(withSources)["img-src"]).toContain("https://images.example.com");
  });

  it("lets forms lead to GitHub only when GitHub sign-in is configured", () => {
    expect(directives(production)["form-action"]).toEqual(["'self'"]);
    const github = pageContentSecurityPolicy({
      nonce: "n",
      development: false,
      imageSources: [],
      https: true,
      formTargets: ["https://github.com"],
    });
    expect(directives(github)["form-action"]).toEqual(["'self'", "https://github.com"]);
  });

  it("allows eval and the HMR websocket in development only", () => {
    const dev = directives(
      pageContentSecurityPolicy({ nonce: "n", development: true, imageSources: [], https: false, formTargets: [] }),
    );
    expect(dev["script-src"]).toContain("'unsafe-eval'");
    expect(dev["connect-src"]).toEqual(["'self'", "ws:", "wss:"]);
  });
});

describe("Markdown image policy", () => {
  const origin = "https://lanes.example.com";

  it.each([
    ["https:", true],
    ["https://images.example.com", true],
    ["https://*.githubusercontent.com", true],
    ["https://cdn.example.com:8443/assets/", true],
    ["http://insecure.example.com", false],
    ["*", false],
    ["https://a.com; script-src *", false],
    ["'unsafe-inline'", false],
  ])("%s is a valid source: %s", (source, valid) => {
    expect(IMAGE_SOURCE_PATTERN.test(source)).toBe(valid);
  });

  it("decides like the CSP: own origin and data always; others only if listed", () => {
    expect(imageAllowed("/uploads/a.png", [], origin)).toBe(true);
    expect(imageAllowed("data:image/png;base64,AAAA", [], origin)).toBe(true);
    expect(imageAllowed("https://tracker.example/pixel.gif", [], origin)).toBe(false);
    expect(imageAllowed("https://images.example.com/a.png", ["https://images.example.com"], origin)).toBe(true);
    expect(imageAllowed("https://images.example.com.evil.test/a.png", ["https://images.example.com"], origin)).toBe(
      false,
    );
    expect(imageAllowed("https://u.githubusercontent.com/a.png", ["https://*.githubusercontent.com"], origin)).toBe(
      true,
    );
    expect(
      imageAllowed("https://githubusercontent.com.evil.test/a.png", ["https://*.githubusercontent.com"], origin),
    ).toBe(false);
    expect(imageAllowed("http://x.test/a.png", ["https:"], origin)).toBe(false);
    expect(imageAllowed("https://x.test/a.png", ["https:"], origin)).toBe(true);
    expect(imageAllowed("https://cdn.example.com/other/a.png", ["https://cdn.example.com/assets/"], origin)).toBe(
      false,
    );
    expect(imageAllowed("https://cdn.example.com/assets/a.png", ["https://cdn.example.com/assets/"], origin)).toBe(
      true,
    );
  });

  it("matches ports and paths as CSP does: no port means the default one; a path without a trailing / is exact", () => {
    expect(imageAllowed("https://img.example.com:8443/a.png", ["https://img.example.com"], origin)).toBe(false);
    expect(imageAllowed("https://img.example.com:443/a.png", ["https://img.example.com"], origin)).toBe(true);
    expect(imageAllowed("https://img.example.com:8443/a.png", ["https://img.example.com:8443"], origin)).toBe(true);
    expect(imageAllowed("https://cdn.example.com/assetsX/a.png", ["https://cdn.example.com/assets"], origin)).toBe(
      false,
    );
    expect(imageAllowed("https://cdn.example.com/assets", ["https://cdn.example.com/assets"], origin)).toBe(true);
    expect(imageAllowed("https://example.com/a.png", ["https://*.example.com"], origin)).toBe(false);
  });

  it("renders an image from an unlisted host as a link, a listed one as an image", () => {
    const render = (sources: string[]) =>
      renderToStaticMarkup(
        <MarkdownImagePolicy policy={{ sources, origin }}>
          <Markdown>{"![diagram](https://images.example.com/d.png)"}</Markdown>
        </MarkdownImagePolicy>,
      );
    expect(render([])).not.toContain("<img");
    expect(render([])).toContain('href="https://images.example.com/d.png"');
    expect(render([])).toContain("Image: diagram");
    expect(render(["https://images.example.com"])).toContain(
      '<img src="https://images.example.com/d.png" alt="diagram"',
    );
  });
});
