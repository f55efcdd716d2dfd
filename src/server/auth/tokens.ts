import { createHash, randomBytes } from "node:crypto";

/** A 256-bit random secret, URL-safe (43 characters). */
export function newSecretToken(): string {
  return randomBytes(32).toString("base64url");
}

/** Secrets are stored only as SHA-256 hashes; a database leak does not leak them. */
export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}
