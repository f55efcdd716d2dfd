/** The document as committed: generated for a placeholder server, so the snapshot does not depend on APP_URL. */
import { openApiDocument } from "./openapi";

export const SNAPSHOT_BASE_URL = "https://lanes.example.com";

export function snapshotDocument(): unknown {
  // Through JSON: the snapshot holds exactly what is served (no undefined keys).
  return JSON.parse(JSON.stringify(openApiDocument(SNAPSHOT_BASE_URL))) as unknown;
}
