import { describe, expect, it } from "vitest";
import { renderToStaticMarkup } from "react-dom/server";
import { Markdown } from "@/features/markdown/markdown";

const render = (md: string) => renderToStaticMarkup(<Markdown>{md}</Markdown>);

describe("Markdown rendering of user content", () => {
  it("never emits raw HTML from the text", () => {
    const html = render(
      'Hello <script>alert(1)</script> <img src=x onerror="alert(2)"> <iframe src="https://evil"></iframe>',
    );
    expect(html).not.toContain("<script");
    expect(html).not.toContain("<img");
    expect(html).not.toContain("<iframe");
    expect(html).toContain("&lt;script&gt;");
  });

  it("drops dangerous link and image URLs", () => {
    const html = render(
      "[click](javascript:alert(1)) [data](data:text/html;base64,PHNjcmlwdD4=) ![x](javascript:alert(3))",
    );
    expect(html).not.toMatch(/href="javascript:/i);
    expect(html).not.toMatch(/href="data:/i);
    expect(html).not.toMatch(/src="javascript:/i);
  });

  it("opens safe links in a new tab without an opener", () => {
    expect(render("[docs](https://example.com)")).toContain(
      '<a href="https://example.com" target="_blank" rel="noopener noreferrer nofollow">docs</a>',
    );
  });

  it("highlights @mentions but not emails or code", () => {
    const html = render("Hi @alice, mail bob@example.com or see `@carol`");
    expect(html).toContain('<span class="mention">@alice</span>');
    expect(html).not.toContain('<span class="mention">@example');
    expect(html).toContain("<code>@carol</code>");
  });

  it("renders GitHub-flavoured Markdown", () => {
    const html = render("- [x] done\n\n| a | b |\n|---|---|\n| 1 | 2 |");
    expect(html).toContain('type="checkbox"');
    expect(html).toContain("<table>");
  });
});
