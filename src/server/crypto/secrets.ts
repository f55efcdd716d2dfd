/**
 * Secrets Lanes must be able to read back (webhook signing secrets, invitation tokens until mailed),
 * encrypted at rest with AES-256-GCM. Keys come from ENCRYPTION_KEYS ("id:base64-of-32-bytes", comma-separated, the first
 * encrypts, all decrypt); without it, one key derived from AUTH_SECRET (id `auth`). Rotation
 * (docs/webhooks.md): put a new key first, keep the old ones listed; the hourly maintenance job
 * re-encrypts what an older key sealed, after which the old key can go.
 *
 * Stored form: "<keyId>.<iv>.<tag>.<ciphertext>", base64url parts. By hand, not a library: node:crypto
 * does the cryptography; this file only names keys and packs the parts.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { env } from "@/server/env";

import { parseEncryptionKeys, type Key } from "./keys";

function derivedFromAuthSecret(secret: string): Key {
  return { id: "auth", key: Buffer.from(hkdfSync("sha256", secret, "lanes", "lanes stored secrets v1", 32)) };
}

/** The configured keys, the one that encrypts first. */
export function configuredKeyring(): Key[] {
  const config = env();
  const derived = derivedFromAuthSecret(config.AUTH_SECRET);
  if (!config.ENCRYPTION_KEYS) return [derived];
  // The derived key still decrypts (last), so moving from the default to listed keys needs no step.
  const listed = parseEncryptionKeys(config.ENCRYPTION_KEYS);
  return listed.some((k) => k.id === derived.id) ? listed : [...listed, derived];
}

export function encryptSecret(plain: string, keyring: Key[] = configuredKeyring()): string {
  const { id, key } = keyring[0]!;
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(id));
  const ciphertext = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return [
    id,
    iv.toString("base64url"),
    cipher.getAuthTag().toString("base64url"),
    ciphertext.toString("base64url"),
  ].join(".");
}

export function decryptSecret(stored: string, keyring: Key[] = configuredKeyring()): string {
  const [id, iv, tag, ciphertext] = stored.split(".");
  const key = keyring.find((k) => k.id === id);
  if (!key || !iv || !tag || ciphertext === undefined)
    throw new Error(`a stored secret is sealed with key "${id}", which ENCRYPTION_KEYS no longer lists`);
  const decipher = createDecipheriv("aes-256-gcm", key.key, Buffer.from(iv, "base64url"));
  decipher.setAAD(Buffer.from(key.id));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64url")), decipher.final()]).toString("utf8");
}

/** The id of the key new secrets are sealed with. */
export function currentKeyId(keyring: Key[] = configuredKeyring()): string {
  return keyring[0]!.id;
}
