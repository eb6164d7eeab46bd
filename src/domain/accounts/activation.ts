import { eq } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { users } from '../../db/schema.js';
import { audit } from '../audit/audit.js';
import { consumeToken, type TokenState } from './tokens.js';

/** Activates the account of a valid activation link (once); says why otherwise. */
export async function activateAccount(tx: Tx, rawToken: string, ip: string): Promise<TokenState> {
  const { state, row } = await consumeToken(tx, rawToken, 'activation');
  if (state !== 'valid' || !row) return state;
  await tx.update(users).set({ active: true, activatedAt: new Date() }).where(eq(users.id, row.userId));
  await audit(tx, { action: 'account.activate', actorId: row.userId, ip });
  return 'valid';
}
