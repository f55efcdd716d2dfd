"use client";
/**
 * The interactive API reference (Scalar), reading the OpenAPI document this server serves. It is
 * a maintained package rather than hand-written HTML: operations, schemas, examples in several
 * languages and a "try it" client that sends real requests with the reader's API key.
 * Configured for a self-hosted server: no fonts or proxy from Scalar's CDN (the CSP allows only
 * this origin, and a closed network reaches nothing else), no telemetry, no AI assistant (it calls
 * Scalar's servers), requests sent directly.
 */
import { ApiReferenceReact } from "@scalar/api-reference-react";
import "@scalar/api-reference-react/style.css";

export function ApiReference({ specUrl }: { specUrl: string }) {
  return (
    <ApiReferenceReact
      configuration={{
        url: specUrl,
        withDefaultFonts: false,
        telemetry: false,
        agent: { disabled: true },
        showDeveloperTools: "never",
        hideDarkModeToggle: false,
        persistAuth: false,
        defaultHttpClient: { targetKey: "shell", clientKey: "curl" },
        metaData: { title: "Lanes API" },
      }}
    />
  );
}
