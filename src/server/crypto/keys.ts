/** Encryption keys as ENCRYPTION_KEYS lists them (parsed apart from env() so env() can validate with it). */
export type Key = { id: string; key: Buffer };

const KEY_ID_PATTERN = /^[a-z0-9_-]{1,16}$/i;

/** Parses "id:base64-of-32-bytes,…"; throws naming what is wrong (env() reports it at start-up). */
export function parseEncryptionKeys(value: string): Key[] {
  const keys = value
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const at = part.indexOf(":");
      const id = part.slice(0, at);
      const key = Buffer.from(part.slice(at + 1), "base64");
      if (at < 1 || !KEY_ID_PATTERN.test(id)) throw new Error(`"${part.slice(0, 20)}…" is not id:base64key`);
      if (key.length !== 32) throw new Error(`key "${id}" must be 32 bytes (openssl rand -base64 32)`);
      return { id, key };
    });
  if (keys.length === 0) throw new Error("lists no key");
  if (new Set(keys.map((k) => k.id)).size !== keys.length) throw new Error("names a key id twice");
  return keys;
}
