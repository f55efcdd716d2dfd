"use client";
import { createContext, useContext } from "react";
import ReactMarkdown, { type Components } from "react-markdown";
import remarkGfm from "remark-gfm";
import { findAndReplace } from "mdast-util-find-and-replace";
import type { PhrasingContent, Root } from "mdast";
import type {} from "mdast-util-to-hast"; // augments mdast Data with hProperties
import { MENTION_PATTERN } from "@/shared/mentions";
import { imageAllowed } from "@/shared/image-policy";

export type ImagePolicy = { sources: readonly string[]; origin: string };

/** Where Markdown images may come from: MARKDOWN_IMAGE_SOURCES and the app's origin (set in the root layout). */
const ImagePolicyContext = createContext<ImagePolicy>({ sources: [], origin: "http://localhost" });

export function MarkdownImagePolicy({ policy, children }: { policy: ImagePolicy; children: React.ReactNode }) {
  return <ImagePolicyContext.Provider value={policy}>{children}</ImagePolicyContext.Provider>;
}

function hostOf(src: string): string {
  try {
    return new URL(src).hostname;
  } catch {
    return src.slice(0, 80);
  }
}

/**
 * An image the page's CSP allows is shown; any other stays a visible, clickable link instead of a
 * broken image (and its server never learns who read the text, or when).
 */
function MarkdownImage({ src, alt }: { src?: string | Blob; alt?: string }) {
  const policy = useContext(ImagePolicyContext);
  if (typeof src !== "string" || !src) return alt ? <span>{alt}</span> : null;
  if (imageAllowed(src, policy.sources, policy.origin)) {
    // eslint-disable-next-line @next/next/no-img-element -- user images from allowed hosts; next/image would fetch them through this server
    return <img src={src} alt={alt ?? ""} loading="lazy" />;
  }
  return (
    <a href={src} target="_blank" rel="noopener noreferrer nofollow" className="markdown-image-link">
      {`Image: ${alt || hostOf(src)}`}
    </a>
  );
}

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
          {
            type: "emphasis",
            data: { hProperties: { className: ["mention"] } },
            children: [{ type: "text", value: `@${handle}` }],
          },
        ],
      ],
    ]);
  };
}

const components: Components = {
  a: ({ node: _node, ...props }) => <a {...props} target="_blank" rel="noopener noreferrer nofollow" />,
  img: ({ node: _node, src, alt }) => <MarkdownImage src={src} alt={alt} />,
  em: ({ node: _node, className, ...props }) =>
    className === "mention" ? <span className="mention" {...props} /> : <em className={className} {...props} />,
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
