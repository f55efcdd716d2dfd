import type { Metadata } from "next";
import { headers } from "next/headers";
import { Toaster } from "sonner";
import { TRPCReactProvider } from "@/trpc/client";
import { MarkdownImagePolicy } from "@/features/markdown/markdown";
import { env } from "@/server/env";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Lanes", template: "%s · Lanes" },
  description: "A fast, self-hostable team work tracker.",
  // Static assets live in public/: the icon, the web manifest, robots.txt (a private app: no indexing).
  icons: { icon: { url: "/icon.svg", type: "image/svg+xml" } },
  manifest: "/manifest.webmanifest",
  robots: { index: false, follow: false },
};

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  // Reading the request renders every page per request, so each carries its own CSP nonce (src/proxy.ts):
  // a statically rendered page would ship Next's inline scripts without it, and the CSP would block them.
  await headers();
  const config = env();
  const imagePolicy = { sources: config.MARKDOWN_IMAGE_SOURCES, origin: new URL(config.APP_URL).origin };
  return (
    <html lang="en">
      <body>
        <TRPCReactProvider>
          <MarkdownImagePolicy policy={imagePolicy}>{children}</MarkdownImagePolicy>
        </TRPCReactProvider>
        <Toaster position="bottom-center" richColors closeButton />
      </body>
    </html>
  );
}
