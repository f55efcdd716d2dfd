"use client";
import ReactMarkdown, { type Components } from "react-markdown";
import remarkGfm from "remark-gfm";
import { findAndReplace } from "mdast-util-find-and-replace";
import type { PhrasingContent, Root } from "mdast";
import type {} from "mdast-util-to-hast"; // augments mdast Data with hProperties
import { MENTION_PATTERN } from "@/shared/mentions";

/**
 * Renders user Markdown safely: raw HTML is never interpreted (react-markdown
 * escapes it), and link URLs pass react-markdown's default transform, which
 * drops javascript: and other unsafe protocols. @mentions become highlighted spans.
 */
function remarkMentions() {
  return (tree: Root) => {
    findAndReplace(tree, [
      [
        new RegExp(MENTION_PATTERN.source, "g"),
        (_match: string, before: string, handle: string): PhrasingContent[] => [
          { type: "text", value: before },
          { type: "emphasis", data: { hProperties: { className: ["mention"] } }, children: [{ type: "text", value: `@${handle}` }] },
        ],
      ],
    ]);
  };
}

const components: Components = {
  a: ({ node: _node, ...props }) => <a {...props} target="_blank" rel="noopener noreferrer nofollow" />,
  em: ({ node: _node, className, ...props }) => (className === "mention" ? <span className="mention" {...props} /> : <em className={className} {...props} />),
};

export function Markdown({ children }: { children: string }) {
  return (
    <div className="prose-lanes">
      <ReactMarkdown remarkPlugins={[remarkGfm, remarkMentions]} components={components}>
        {children}
      </ReactMarkdown>
    </div>
  );
}
