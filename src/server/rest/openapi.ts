/**
 * The OpenAPI 3.1 document for /api/v1, generated from the routers' metadata and Zod schemas by
 * trpc-to-openapi. Lanes' own contract is laid over what it generates, because the generator
 * knows neither: the one error body every operation answers with (src/server/rest/handler.ts),
 * the RateLimit headers, and the refusals every call can meet (429, 503).
 */
import { generateOpenApiDocument, type OpenAPIObject } from "trpc-to-openapi";
import { appRouter } from "@/server/routers/_app";
import { REST_BASE_PATH, REST_TAGS } from "./meta";

export const API_VERSION = "1.0.0";

const DESCRIPTION = `The Lanes API over REST, generated from the same tRPC procedures the web app calls.

Authenticate with an API key from a workspace's settings (Settings → API keys): \`Authorization: Bearer lanes_…\`.
A key acts only in its own workspace (any other answers 404), with its scope (read, write, admin), never
above its creator's current role. Errors always have the shape \`{ code, message, requestId, fieldErrors?, details? }\`;
every answer from an operation carries \`RateLimit-Limit\`, \`RateLimit-Remaining\` and \`RateLimit-Reset\` (refusals
made before it runs — a bad key, an unknown path, an unreadable body — do not), and a 429 or 503 a \`Retry-After\`. Lists page with an opaque \`cursor\`: pass the previous page's \`nextCursor\`; \`null\` is the end.`;

type Json = Record<string, unknown>;

const ERROR_SCHEMA: Json = {
  type: "object",
  description: "Every refusal, whatever the status (docs/api.md lists the codes).",
  properties: {
    code: {
      type: "string",
      description: "Stable machine-readable code",
      examples: ["BAD_REQUEST", "UNAUTHORIZED", "FORBIDDEN", "NOT_FOUND", "CONFLICT", "TOO_MANY_REQUESTS"],
    },
    message: { type: "string", description: "For people: what went wrong and what to do" },
    requestId: { type: "string", description: "Quote it when reporting a problem" },
    fieldErrors: {
      type: "object",
      description: "Invalid input: messages per field (dotted paths for nested fields)",
      additionalProperties: { type: "array", items: { type: "string" } },
    },
    details: {
      type: "object",
      description: "e.g. retryAfterSeconds on 429 and 503",
      additionalProperties: true,
    },
  },
  required: ["code", "message", "requestId"],
};

const RATE_LIMIT_HEADERS: Json = {
  "RateLimit-Limit": { $ref: "#/components/headers/RateLimit-Limit" },
  "RateLimit-Remaining": { $ref: "#/components/headers/RateLimit-Remaining" },
  "RateLimit-Reset": { $ref: "#/components/headers/RateLimit-Reset" },
};

const HEADERS: Json = {
  "RateLimit-Limit": { description: "Requests allowed in the window", schema: { type: "integer" } },
  "RateLimit-Remaining": { description: "Requests left in the window", schema: { type: "integer" } },
  "RateLimit-Reset": { description: "Seconds until the window resets", schema: { type: "integer" } },
  "Retry-After": { description: "Seconds to wait before trying again", schema: { type: "integer" } },
};

/** The refusals any authenticated operation can answer with, beyond the ones the generator lists. */
const ERROR_STATUSES: Record<string, string> = {
  "400": "Invalid input (fieldErrors names the fields)",
  "401": "No API key, or an unknown, revoked or expired one",
  "403": "The key's scope or its creator's role does not allow this",
  "404": "Not found, or not in the key's workspace",
  "409": "Conflict with the current state (e.g. changed since the version read)",
  "429": "Rate limit spent: wait Retry-After seconds",
  "503": "Busy or unavailable for a moment: nothing changed; retry after Retry-After seconds",
};

function errorResponse(description: string, status: string): Json {
  const retryable = status === "429" || status === "503";
  return {
    description,
    ...(retryable ? { headers: { "Retry-After": { $ref: "#/components/headers/Retry-After" } } } : {}),
    content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
  };
}

function withLanesContract(document: OpenAPIObject): OpenAPIObject {
  for (const pathItem of Object.values(document.paths ?? {}) as Json[]) {
    for (const operation of Object.values(pathItem) as Array<{ responses?: Json }>) {
      if (!operation.responses) continue;
      const success = operation.responses["200"] as Json | undefined;
      const responses: Json = success ? { "200": { ...success, headers: RATE_LIMIT_HEADERS } } : {};
      for (const [status, description] of Object.entries(ERROR_STATUSES))
        responses[status] = errorResponse(description, status);
      operation.responses = responses;
    }
  }
  const schemas = Object.fromEntries(
    Object.entries((document.components?.schemas ?? {}) as Json).filter(([name]) => !name.startsWith("error.")),
  );
  document.components = {
    ...document.components,
    schemas: { ...schemas, Error: ERROR_SCHEMA },
    headers: HEADERS as NonNullable<OpenAPIObject["components"]>["headers"],
  };
  return document;
}

export function openApiDocument(baseUrl: string): OpenAPIObject {
  return withLanesContract(
    generateOpenApiDocument(appRouter, {
      title: "Lanes API",
      version: API_VERSION,
      description: DESCRIPTION,
      baseUrl: `${baseUrl}${REST_BASE_PATH}`,
      tags: [...REST_TAGS],
      securitySchemes: {
        bearerAuth: {
          type: "http",
          scheme: "bearer",
          bearerFormat: "lanes_…",
          description: "An API key from the workspace's settings (Settings → API keys).",
        },
      },
    }),
  );
}
