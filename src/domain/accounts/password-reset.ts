/**
 * « Mot de passe oublié ? »: the same answer and the same work whether the account exists or not;
 * a single-use link valid one hour; the new password follows the policy; other sessions end.
 */
import { randomBytes } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client.js';
import { sessions, users } from '../../db/schema.js';
import { audit } from '../audit/audit.js';
import { ValidationError } from '../errors.js';
import { passwordChangedMail, passwordResetMail } from '../notifications/account-messages.js';
import { enqueueMail } from '../notifications/outbox.js';
import { displayName } from './actors.js';
import { passwordProblem } from './password-policy.js';
import { hashPassword, MAX_PASSWORD_LENGTH } from './passwords.js';
import { consumeToken, createToken, hashToken, type TokenState } from './tokens.js';

export const RESET_TTL_MS = 60 * 60 * 1000;

/** Sends a reset link to the account named by its e-mail address or identifiant, if there is one. */
export async function requestPasswordReset(db: Db, identifier: string, ip: string, publicUrl: string): Promise<void> {
  const key = identifier.trim().slice(0, 254);
  await db.transaction(async (tx) => {
    const [user] = await tx
      .select()
      .from(users)
      .where(and(eq(users.active, true), sql`(lower(${users.login}) = lower(${key}) or lower(${users.email}) = lower(${key}))`))
      .limit(1);
    if (!user) {
      // The same work as for a known account: a token drawn and hashed, an audit row written.
      hashToken(randomBytes(32).toString('base64url'));
      await audit(tx, { action: 'password_reset.request', ip, details: { known: false } });
      return;
    }
    const token = await createToken(tx, user.id, 'password_reset', RESET_TTL_MS);
    await enqueueMail(tx, passwordResetMail(user.email, displayName(user), `${publicUrl}/mot-de-passe/${token}`));
    await audit(tx, { action: 'password_reset.request', actorId: user.id, ip, details: { known: true } });
  });
}

/**
 * Sets the new password of a valid reset link, once; ends every session of the account.
 * The password is checked and hashed before the transaction.
 */
export async function resetPassword(
  db: Db,
  rawToken: string,
  password: string,
  check: string,
  ip: string,
  publicUrl: string,
): Promise<TokenState> {
  if (password.length > MAX_PASSWORD_LENGTH) throw new ValidationError({ password: passwordProblem(password) ?? '' });
  const problem = passwordProblem(password);
  if (problem) throw new ValidationError({ password: problem });
  if (password !== check) throw new ValidationError({ passwordCheck: 'Les deux mots de passe ne sont pas identiques.' });
  const passwordHash = await hashPassword(password);
  return db.transaction(async (tx: Tx) => {
    const { state, row } = await consumeToken(tx, rawToken, 'password_reset');
    if (state !== 'valid' || !row) return state;
    const [user] = await tx.select().from(users).where(eq(users.id, row.userId));
    if (!user) return 'unknown';
    const personal = passwordProblem(password, user);
    if (personal) throw new ValidationError({ password: personal });
    await tx.update(users).set({ passwordHash }).where(eq(users.id, user.id));
    await tx.delete(sessions).where(eq(sessions.userId, user.id));
    await enqueueMail(tx, passwordChangedMail(user.email, displayName(user), publicUrl));
    await audit(tx, { action: 'password_reset.done', actorId: user.id, ip });
    return 'valid';
  });
}
