import type { Metadata } from "next";
import { REST_BASE_PATH } from "@/server/rest/meta";
import { ApiReference } from "@/features/api-docs/api-reference";

export const metadata: Metadata = { title: "API reference" };

/** Public: the reference describes the API; calling it still needs a key. */
export default function ApiDocsPage() {
  return (
    <main aria-label="Lanes API reference">
      <ApiReference specUrl={`${REST_BASE_PATH}/openapi.json`} />
    </main>
  );
}
