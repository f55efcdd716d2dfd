/**
 * `npm run openapi:update`: writes the generated OpenAPI document to docs/openapi.json, the
 * committed snapshot. tests/unit/openapi-spec.test.ts fails while the two differ, and names
 * the changes that would break a client.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { snapshotDocument } from "@/server/rest/snapshot";

const file = path.resolve(import.meta.dirname, "..", "docs", "openapi.json");
writeFileSync(file, `${JSON.stringify(snapshotDocument(), null, 2)}\n`);
console.log(`wrote ${path.relative(process.cwd(), file)}`);
