/**
 * Encryption at rest of small secrets (TOTP seeds): AES-256-GCM with a key derived from
 * SESSION_SECRET by HKDF-SHA256. Each value is bound to its owner (additional data), so a
 * value copied to another account does not open. Changing SESSION_SECRET makes stored
 * values unreadable: the people concerned then enrol again.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const keys = new Map<string, Buffer>();

/** The 256-bit key for TOTP secrets, derived once per application secret. */
export function secretKey(applicationSecret: string): Buffer {
  let key = keys.get(applicationSecret);
  if (!key) {
    key = Buffer.from(hkdfSync('sha256', applicationSecret, 'guichet', 'totp-secret-encryption v1', 32));
    keys.set(applicationSecret, key);
  }
  return key;
}

/** `v1.<iv>.<ciphertext>.<tag>` (base64url), a fresh 96-bit IV each time. */
export function seal(key: Buffer, plaintext: string, owner: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(owner));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [VERSION, iv, body, cipher.getAuthTag()].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join('.');
}

/** The plaintext, or null when the value was altered, belongs to another owner or another key. */
export function open(key: Buffer, sealed: string, owner: string): string | null {
  const [version, iv, body, tag] = sealed.split('.');
  if (version !== VERSION || !iv || body === undefined || !tag) return null;
  try {
    // A full 128-bit tag only: a shortened one would be easier to forge.
    const authTag = Buffer.from(tag, 'base64url');
    if (authTag.length !== 16) return null;
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'), { authTagLength: 16 });
    decipher.setAAD(Buffer.from(owner));
    decipher.setAuthTag(authTag);
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    return null;
  }
}
