/**
 * Single-use tokens sent by e-mail (activation, password reset, e-mail change): 256 random bits,
 * only their SHA-256 is stored, with an expiry; using one marks it used in the same transaction.
 */
import { createHash, randomBytes } from 'node:crypto';
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Executor, Tx } from '../../db/client.js';
import { userTokens } from '../../db/schema.js';

export type TokenPurpose = 'activation' | 'password_reset' | 'email_change' | 'invitation';

export const hashToken = (raw: string) => createHash('sha256').update(raw).digest('hex');

export async function createToken(
  tx: Tx,
  userId: number,
  purpose: TokenPurpose,
  ttlMs: number,
  extra: { newEmail?: string } = {},
): Promise<string> {
  const raw = randomBytes(32).toString('base64url');
  // A new link replaces the previous unused ones of the same purpose.
  await tx
    .update(userTokens)
    .set({ usedAt: new Date() })
    .where(and(eq(userTokens.userId, userId), eq(userTokens.purpose, purpose), isNull(userTokens.usedAt)));
  await tx.insert(userTokens).values({
    userId,
    purpose,
    tokenHash: hashToken(raw),
    newEmail: extra.newEmail ?? null,
    expiresAt: new Date(Date.now() + ttlMs),
  });
  return raw;
}

export type TokenState = 'valid' | 'used' | 'expired' | 'unknown';

/** What a link's token is worth, without using it (for the page that shows the confirming button). */
export async function inspectToken(db: Executor, raw: string, purpose: TokenPurpose) {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(raw)) return { state: 'unknown' as TokenState, row: null };
  const [row] = await db
    .select()
    .from(userTokens)
    .where(and(eq(userTokens.tokenHash, hashToken(raw)), eq(userTokens.purpose, purpose)));
  if (!row) return { state: 'unknown' as TokenState, row: null };
  if (row.usedAt) return { state: 'used' as TokenState, row };
  if (row.expiresAt.getTime() <= Date.now()) return { state: 'expired' as TokenState, row };
  return { state: 'valid' as TokenState, row };
}

/** Uses a token once: only the first of two concurrent uses succeeds. */
export async function consumeToken(tx: Tx, raw: string, purpose: TokenPurpose) {
  const { state, row } = await inspectToken(tx, raw, purpose);
  if (state !== 'valid' || !row) return { state, row: null };
  const used = await tx
    .update(userTokens)
    .set({ usedAt: new Date() })
    .where(and(eq(userTokens.id, row.id), isNull(userTokens.usedAt), sql`${userTokens.expiresAt} > now()`))
    .returning({ id: userTokens.id });
  return used.length ? { state: 'valid' as TokenState, row } : { state: 'used' as TokenState, row: null };
}
